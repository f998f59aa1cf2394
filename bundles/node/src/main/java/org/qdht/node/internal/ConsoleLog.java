package org.qdht.node.internal;

import java.io.PrintStream;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogLevel;
import org.osgi.service.log.LogListener;
import org.osgi.service.log.LogReaderService;
import org.osgi.service.log.Logger;
import org.osgi.service.log.admin.LoggerAdmin;
import org.osgi.service.log.admin.LoggerContext;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Prints the log entries of qDHT bundles to the console, so that an operator at the shell sees a
 * node start, stop or refuse its configuration. Entries of other bundles are printed from WARN up.
 * The full log stays available through Gogo's {@code log} command.
 *
 * <p>OSGi Log 1.4 drops entries below WARN where they are made unless told otherwise, so this
 * component lowers the root logger level to the configured console level (never raises it).
 */
@Component(service = {}, immediate = true, configurationPid = ConsoleLog.PID)
@Designate(ocd = ConsoleLog.Config.class)
public class ConsoleLog implements LogListener {
    static final String PID = "org.qdht.log.console";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

    @ObjectClassDefinition(name = "qDHT console log", description = "Which log entries are printed on the console.")
    @interface Config {
        @AttributeDefinition(description = "Lowest level printed for qDHT bundles: ERROR, WARN, INFO, DEBUG or TRACE.")
        String level() default "INFO";

        @AttributeDefinition(description = "Print nothing at all (for embedding in a host that has its own console).")
        boolean quiet() default false;
    }

    @Reference
    private LogReaderService reader;

    @Reference
    private LoggerAdmin loggerAdmin;

    private final PrintStream out = System.out;
    private volatile LogLevel level = LogLevel.INFO;
    private volatile boolean quiet;

    @Activate
    @Modified
    void configure(Config config) {
        try {
            level = LogLevel.valueOf(config.level().trim().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            level = LogLevel.INFO;
            out.println("qdht: console log level '" + config.level() + "' is not one of ERROR, WARN, INFO, DEBUG, TRACE; using INFO");
        }
        quiet = config.quiet();
        letEntriesThrough(level);
        reader.removeLogListener(this);
        reader.addLogListener(this);
    }

    /** Makes sure entries at {@code wanted} are not dropped at the source by the root logger level. */
    private void letEntriesThrough(LogLevel wanted) {
        LoggerContext root = loggerAdmin.getLoggerContext(null);
        Map<String, LogLevel> levels = new HashMap<>(root.getLogLevels());
        LogLevel current = levels.getOrDefault(Logger.ROOT_LOGGER_NAME, root.getEffectiveLogLevel(Logger.ROOT_LOGGER_NAME));
        if (!current.implies(wanted)) {
            levels.put(Logger.ROOT_LOGGER_NAME, wanted);
            root.setLogLevels(levels);
        }
    }

    @Deactivate
    void deactivate() {
        reader.removeLogListener(this);
    }

    @Override
    public void logged(LogEntry entry) {
        if (quiet) {
            return;
        }
        boolean ours = entry.getBundle() != null && entry.getBundle().getSymbolicName() != null
                && entry.getBundle().getSymbolicName().startsWith("org.qdht");
        // the framework's own ServiceEvent/BundleEvent entries (logger names "Events.*") are noise here
        boolean frameworkEvent = entry.getLoggerName() != null && entry.getLoggerName().startsWith("Events.");
        LogLevel threshold = ours && !frameworkEvent ? level : LogLevel.WARN;
        if (!threshold.implies(entry.getLogLevel())) {
            return;
        }
        StringBuilder line = new StringBuilder();
        line.append(TIME.format(Instant.ofEpochMilli(entry.getTime()))).append(' ')
                .append(entry.getLogLevel()).append(' ')
                .append(entry.getBundle() == null ? "?" : entry.getBundle().getSymbolicName()).append(": ")
                .append(entry.getMessage());
        if (entry.getException() != null && !ours) {
            line.append(" (").append(entry.getException()).append(')');
        }
        out.println(line);
    }
}
