package org.qdht.transport.udp.internal;

import java.lang.reflect.Proxy;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.osgi.service.log.Logger;

/** An OSGi {@link Logger} for tests outside the framework: keeps "LEVEL format" of every call. */
final class RecordingLogger {
    final List<String> entries = new CopyOnWriteArrayList<>();
    final Logger logger = (Logger) Proxy.newProxyInstance(Logger.class.getClassLoader(), new Class<?>[] {Logger.class},
            (proxy, method, args) -> {
                if (method.getName().startsWith("is")) {
                    return true;
                }
                if (method.getReturnType() == String.class) {
                    return "recording";
                }
                if (args != null && args.length > 0 && args[0] instanceof String) {
                    entries.add(method.getName().toUpperCase() + " " + args[0]);
                }
                return null;
            });

    boolean has(String level, String fragment) {
        return entries.stream().anyMatch(e -> e.startsWith(level) && e.contains(fragment));
    }
}
