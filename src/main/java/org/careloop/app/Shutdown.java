package org.careloop.app;

import org.apache.camel.CamelContext;
import org.apache.camel.support.service.ServiceSupport;

/** Ties something the engine started outside Camel (a sandbox server) to the Camel context's stop. */
final class Shutdown {

    private Shutdown() {
    }

    static void closeWith(CamelContext camel, AutoCloseable resource) throws Exception {
        camel.addService(new ServiceSupport() {
            @Override
            protected void doStop() throws Exception {
                resource.close();
            }
        }, true, false);
    }
}
