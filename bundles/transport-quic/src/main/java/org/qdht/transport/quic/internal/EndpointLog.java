package org.qdht.transport.quic.internal;

import org.osgi.service.log.Logger;

/**
 * What an endpoint tells the operator. The component forwards to the OSGi Log service; unit tests
 * construct endpoints without a framework.
 */
interface EndpointLog {
    void info(String message);

    void warn(String message, Throwable cause);

    void debug(String message);

    /** Drops everything. */
    EndpointLog NONE = new EndpointLog() {
        @Override
        public void info(String message) {
        }

        @Override
        public void warn(String message, Throwable cause) {
        }

        @Override
        public void debug(String message) {
        }
    };

    static EndpointLog of(Logger logger) {
        return new EndpointLog() {
            @Override
            public void info(String message) {
                logger.info(message);
            }

            @Override
            public void warn(String message, Throwable cause) {
                if (cause == null) {
                    logger.warn(message);
                } else {
                    logger.warn(message, cause);
                }
            }

            @Override
            public void debug(String message) {
                logger.debug(message);
            }
        };
    }
}
