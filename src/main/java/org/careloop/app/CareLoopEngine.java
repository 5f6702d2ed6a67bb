package org.careloop.app;

import java.time.Clock;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;
import org.careloop.config.Clocks;

/**
 * A running engine embedded in another program (a test, the benchmark): the same camel-main set-up as
 * {@link CareLoopMain}, with properties overridden, started and stopped under the caller's control.
 */
public final class CareLoopEngine implements AutoCloseable {

    private final Main main;

    private CareLoopEngine(Main main) {
        this.main = main;
    }

    /** Starts an engine; {@code overrides} win over application.properties and the environment. */
    public static CareLoopEngine start(Map<String, String> overrides) throws Exception {
        return start(overrides, null);
    }

    /** Starts an engine that reads the time from {@code clock} (null: the system clock). */
    public static CareLoopEngine start(Map<String, String> overrides, Clock clock) throws Exception {
        Main main = newMain();
        overrides.forEach(main::addOverrideProperty);
        if (clock != null) {
            main.bind(Clocks.BEAN, clock);
        }
        main.start();
        return new CareLoopEngine(main);
    }

    /** camel-main with CareLoop's beans: the HL7 side first (it opens the store), then WhatsApp, planning, FHIR,
     * replies, subscriptions. */
    static Main newMain() {
        Main main = new Main();
        main.configure().addConfiguration(CareLoopBeans.class);
        main.configure().addConfiguration(WhatsAppBeans.class);
        main.configure().addConfiguration(PlanningBeans.class);
        main.configure().addConfiguration(FhirBeans.class);
        main.configure().addConfiguration(RepliesBeans.class);
        main.configure().addConfiguration(SubscriptionBeans.class);
        return main;
    }

    public CamelContext camelContext() {
        return main.getCamelContext();
    }

    /** A bean the engine bound for its routes (hl7Intake, hl7ToCareEvent, operatorApi...). */
    public <T> T bean(String name, Class<T> type) {
        return camelContext().getRegistry().lookupByNameAndType(name, type);
    }

    @Override
    public void close() throws Exception {
        main.stop();
    }
}
