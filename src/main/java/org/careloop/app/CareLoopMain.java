package org.careloop.app;

/** Starts the CareLoop engine: camel-main with the YAML routes in routes/ and CareLoop's beans. */
public final class CareLoopMain {

    private CareLoopMain() {
    }

    public static void main(String[] args) throws Exception {
        System.exit(CareLoopEngine.newMain().run(args));
    }
}
