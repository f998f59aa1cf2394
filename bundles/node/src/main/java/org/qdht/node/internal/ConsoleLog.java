package org.qdht.node.internal;

import java.io.PrintStream;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogLevel;
import org.osgi.service.log.LogListener;
import org.osgi.service.log.LogReaderService;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Prints the log entries of qDHT bundles to the console, so that an operator at the shell sees a
 * node start, stop or refuse its configuration. Entries of other bundles are printed from WARN up.
 * The full log stays available through Gogo's {@code log} command.
 */
@Component(configurationPid = ConsoleLog.PID)
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
        reader.removeLogListener(this);
        reader.addLogListener(this);
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
        LogLevel threshold = ours ? level : LogLevel.WARN;
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
