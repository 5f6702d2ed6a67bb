package org.careloop.app;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;
import org.apache.camel.spi.Registry;
import org.careloop.config.Clocks;
import org.careloop.consent.ConsentStore;
import org.careloop.ops.ConsentApi;
import org.careloop.planning.MappingFiles;
import org.careloop.planning.MessageRenderer;
import org.careloop.planning.Planner;
import org.careloop.planning.PlanningProcessor;
import org.careloop.planning.QuietHours;
import org.careloop.store.Database;
import org.careloop.store.GroupCommitWriter;
import org.careloop.whatsapp.catalog.TemplateCatalog;

/**
 * Builds the planning side from {@code careloop.planning.*} and {@code careloop.consent.*}: the mappings (checked
 * against the template catalog: a broken mapping stops start-up here), the planner and its route's processor
 * (planningProcessor), and the consent store and API (consentStore, consentApi).
 */
public class PlanningBeans implements CamelConfiguration {

    @PropertyInject("careloop.site.time-zone")
    private String timeZone;
    @PropertyInject("careloop.site.name")
    private String siteName;
    @PropertyInject(value = "careloop.site.quiet-hours", defaultValue = "")
    private String quietHours;
    @PropertyInject("careloop.site.phone-region")
    private String phoneRegion;
    @PropertyInject("careloop.whatsapp.catalog")
    private String catalogFile;
    @PropertyInject("careloop.planning.mapping-files")
    private String mappingFiles;
    @PropertyInject("careloop.planning.min-notice-hours")
    private double minNoticeHours;
    @PropertyInject("careloop.planning.late-margin-hours")
    private double lateMarginHours;
    @PropertyInject("careloop.planning.immediate-lifetime-hours")
    private double immediateLifetimeHours;
    @PropertyInject(value = "careloop.planning.death-dispositions", defaultValue = "")
    private String deathDispositions;

    @Override
    public void configure(CamelContext camel) {
        Registry registry = camel.getRegistry();
        Database database = registry.lookupByNameAndType("careloopStore", Database.class);
        GroupCommitWriter writer = registry.lookupByNameAndType("careloopWriter", GroupCommitWriter.class);
        var zone = Settings.zone("careloop.site.time-zone", timeZone);
        var clock = Clocks.of(camel, zone);
        Path catalogPath = Path.of(catalogFile);
        List<Path> files = Arrays.stream(mappingFiles.split(",")).map(String::trim).filter(f -> !f.isEmpty())
                .map(Path::of).toList();
        MessageRenderer renderer = new MessageRenderer(zone, siteName);
        Planner planner = new Planner(MappingFiles.load(files, TemplateCatalog.load(catalogPath), catalogPath),
                renderer, QuietHours.parse(quietHours, zone), hours(minNoticeHours),
                hours(lateMarginHours), hours(immediateLifetimeHours), Arrays.stream(deathDispositions.split(","))
                        .map(String::trim).filter(code -> !code.isEmpty()).collect(Collectors.toSet()));
        ConsentStore consents = new ConsentStore(writer, database.dataSource());
        registry.bind("planningProcessor", new PlanningProcessor(planner, clock));
        registry.bind("messageRenderer", renderer);
        registry.bind("consentStore", consents);
        registry.bind("consentApi", new ConsentApi(consents, phoneRegion, clock));
    }

    private static Duration hours(double hours) {
        return Duration.ofMinutes(Math.round(hours * 60));
    }
}
