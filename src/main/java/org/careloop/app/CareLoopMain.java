package org.careloop.app;

import org.apache.camel.main.Main;

/** Starts the CareLoop engine: camel-main with the YAML routes in routes/ and the beans of {@link CareLoopBeans}. */
public final class CareLoopMain {

    private CareLoopMain() {
    }

    public static void main(String[] args) throws Exception {
        Main main = new Main();
        main.configure().addConfiguration(CareLoopBeans.class);
        System.exit(main.run(args));
    }
}
