package org.careloop.app;

import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Registry;
import org.careloop.config.Clocks;
import org.careloop.consent.ConsentStore;
import org.careloop.ops.ConsentApi;
import org.careloop.planning.MappingFiles;
import org.careloop.planning.MessageRenderer;
import org.careloop.planning.Planner;
import org.careloop.planning.PlanningProcessor;
import org.careloop.settings.PlanningSettings;
import org.careloop.settings.SiteSettings;
import org.careloop.settings.WhatsAppSettings;
import org.careloop.store.Database;
import org.careloop.store.GroupCommitWriter;
import org.careloop.whatsapp.catalog.TemplateCatalog;

/**
 * Builds the planning side from its settings: the mappings (checked against the template catalog: a broken mapping
 * stops start-up here), the planner and its route's processor (planningProcessor), and the consent store and API
 * (consentStore, consentApi).
 */
public class PlanningBeans implements CamelConfiguration {

    @Override
    public void configure(CamelContext camel) {
        SiteSettings site = SettingsBeans.of(camel, SiteSettings.class);
        PlanningSettings planning = SettingsBeans.of(camel, PlanningSettings.class);
        Registry registry = camel.getRegistry();
        Database database = registry.lookupByNameAndType("careloopStore", Database.class);
        GroupCommitWriter writer = registry.lookupByNameAndType("careloopWriter", GroupCommitWriter.class);
        var clock = Clocks.of(camel, site.zone());
        var catalog = SettingsBeans.of(camel, WhatsAppSettings.class).catalog();
        MessageRenderer renderer = new MessageRenderer(site.zone(), site.name());
        Planner planner = new Planner(MappingFiles.load(planning.mappingFiles(), TemplateCatalog.load(catalog),
                catalog), renderer, site.quietHours(), planning.minNotice(), planning.lateMargin(),
                planning.immediateLifetime(), planning.deathDispositions(), site.zone());
        ConsentStore consents = new ConsentStore(writer, database.dataSource());
        registry.bind("planningProcessor", new PlanningProcessor(planner, clock));
        registry.bind("messageRenderer", renderer);
        registry.bind("consentStore", consents);
        registry.bind("consentApi", new ConsentApi(consents, site.phoneRegion(), clock));
    }
}
