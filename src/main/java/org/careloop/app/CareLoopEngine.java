package org.careloop.app;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelConfiguration;
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

    /**
     * CareLoop's beans, in the order they build on each other: the settings, the HL7 side (it opens the store), then
     * WhatsApp, planning, FHIR, replies, subscriptions. An application of a team's own lists them in
     * {@code camel.main.configuration-classes} (README, "CareLoop in your own Camel application").
     */
    public static final List<Class<? extends CamelConfiguration>> CONFIGURATIONS = List.of(SettingsBeans.class,
            CareLoopBeans.class, WhatsAppBeans.class, PlanningBeans.class, FhirBeans.class, RepliesBeans.class,
            SubscriptionBeans.class);

    /** camel-main with CareLoop's beans. */
    static Main newMain() {
        Main main = new Main();
        CONFIGURATIONS.forEach(main.configure()::addConfiguration);
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
