package org.careloop.app;

import java.util.List;
import java.util.function.Function;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.careloop.settings.ConsentSettings;
import org.careloop.settings.FhirSettings;
import org.careloop.settings.FhirSubscriptionSettings;
import org.careloop.settings.Hl7Settings;
import org.careloop.settings.HttpSettings;
import org.careloop.settings.MllpSettings;
import org.careloop.settings.PlanningSettings;
import org.careloop.settings.ProcessingSettings;
import org.careloop.settings.RepliesSettings;
import org.careloop.settings.SettingsReader;
import org.careloop.settings.SiteSettings;
import org.careloop.settings.StoreSettings;
import org.careloop.settings.WhatsAppSandboxSettings;
import org.careloop.settings.WhatsAppSettings;

/**
 * Reads every {@code careloop.*} key into its typed settings, before anything is built, and binds each group under
 * its class name (siteSettings, storeSettings, ...): a bad value stops start-up here, naming its key, whichever part
 * would have used it. The other configuration classes build from these.
 */
public class SettingsBeans implements CamelConfiguration {

    /** Every group of settings, each read by its own {@code read}. */
    public static final List<Function<SettingsReader, ?>> GROUPS = List.of(SiteSettings::read, StoreSettings::read,
            MllpSettings::read, Hl7Settings::read, ProcessingSettings::read, HttpSettings::read,
            WhatsAppSettings::read, WhatsAppSandboxSettings::read, PlanningSettings::read, ConsentSettings::read,
            RepliesSettings::read, FhirSettings::read, FhirSubscriptionSettings::read);

    @Override
    public void configure(CamelContext camel) {
        SettingsReader reader = SettingsReader.of(camel);
        for (Function<SettingsReader, ?> group : GROUPS) {
            Object settings = group.apply(reader);
            camel.getRegistry().bind(beanName(settings.getClass()), settings);
        }
        ListenerPorts.of(camel).requireDistinct();
    }

    /** The settings of one group, as bound by this class; fails start-up with the fix when this class has not run. */
    static <T> T of(CamelContext camel, Class<T> type) {
        T settings = camel.getRegistry().lookupByNameAndType(beanName(type), type);
        if (settings == null) {
            throw new IllegalStateException(beanName(type) + " is not bound: list " + SettingsBeans.class.getName()
                    + " first in camel.main.configuration-classes (see CareLoopEngine.CONFIGURATIONS)");
        }
        return settings;
    }

    private static String beanName(Class<?> type) {
        String name = type.getSimpleName();
        return Character.toLowerCase(name.charAt(0)) + name.substring(1);
    }
}
