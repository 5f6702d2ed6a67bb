package org.careloop.fhir.subscription;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.apache.camel.Exchange;
import org.careloop.event.CareEvent;
import org.careloop.event.CareEventStore;
import org.careloop.event.EventKind;
import org.careloop.event.Source;
import org.careloop.fhir.writeback.AppointmentLocator;
import org.careloop.fhir.writeback.OwnVersions;
import org.careloop.fhir.subscription.FhirDeliveries.Delivery;
import org.careloop.fhir.subscription.FhirDeliveries.Seen;
import org.careloop.fhir.subscription.FhirDeliveries.State;
import org.careloop.store.Columns;
import org.careloop.queue.QueueHeaders;
import org.careloop.queue.QueueTransaction;
import org.careloop.queue.RetryPolicy;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The FHIR delivery stage's step (routes/fhir-subscriptions.yaml): the stored delivery a queue entry names becomes
 * CareEvents. First what it means is gathered from the FHIR server, outside the store's transaction: the resource
 * itself (rest-hook with payload, full-resource notification), a read (id-only), or a search since the last one
 * ({@code _lastUpdated}) for a notification without content, a gap in event numbers, a heartbeat that reveals missed
 * events, or the periodic reconciliation. Then, with the entry's completion, each resource is judged against the last
 * version seen (a duplicate or older version is skipped; CareLoop's own write-back is no news), its events are
 * written, the subscription's state moves on and the delivery is marked done. A server that does not answer puts the
 * delivery back in line with backoff, for as long as it takes; a delivery that cannot be understood is FAILED with
 * why; one whose events the store refuses is parked by the queue and marked FAILED by {@link #parked}.
 */
public final class FhirDeliveryToCareEvents {

    private static final Logger LOG = LoggerFactory.getLogger(FhirDeliveryToCareEvents.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_SEARCH_PAGES = 50;

    /**
     * One resource version the delivery brings, and the event it makes once its kind, and the version seen before it
     * (if any), are known.
     */
    private record Candidate(String type, String id, String version, Instant lastUpdated, String status,
            Instant start, Function<Optional<Seen>, EventKind> kind,
            BiFunction<EventKind, Optional<Seen>, CareEvent> event) {
    }

    /** What a delivery amounts to, gathered before the transaction. */
    private record Work(List<Candidate> candidates, Long lastEventNumber, Instant searchFrom, String notification) {
    }

    private final Map<String, Subscription> subscriptions;
    private final FhirDeliveries deliveries;
    private final IGenericClient client;
    private final FhirContext fhir;
    private final FhirReferences references;
    private final FhirCareEvents mapper;
    private final CareEventStore events;
    private final RetryPolicy retry;
    private final Duration initialLookback;
    private final Clock clock;

    public FhirDeliveryToCareEvents(Map<String, Subscription> subscriptions, FhirDeliveries deliveries,
            IGenericClient client, FhirContext fhir, Duration referenceTtl, FhirCareEvents mapper,
            CareEventStore events, RetryPolicy retry, Duration initialLookback, Clock clock) {
        this.subscriptions = subscriptions;
        this.deliveries = deliveries;
        this.client = client;
        this.fhir = fhir;
        this.references = new FhirReferences(client, referenceTtl, clock);
        this.mapper = mapper;
        this.events = events;
        this.retry = retry;
        this.initialLookback = initialLookback;
        this.clock = clock;
    }

    /**
     * The delivery the entry names (its id), if it still waits and is due: one done since, or put in line again by an
     * operator (another entry then stands for it), is left alone.
     */
    public void handle(Exchange exchange) throws SQLException {
        long id = Long.parseLong(exchange.getIn().getBody(String.class));
        Optional<Delivery> pending = deliveries.pending(id, clock.instant());
        if (pending.isEmpty()) {
            return;
        }
        Delivery delivery = pending.get();
        Work work;
        try {
            Subscription subscription = subscriptions.get(delivery.subscription());
            if (subscription == null) {
                throw new IllegalArgumentException("subscription '" + delivery.subscription()
                        + "' is no longer configured");
            }
            work = gather(delivery, subscription);
        } catch (BaseServerResponseException unavailable) {
            String reason = "the FHIR server did not answer: " + unavailable.getStatusCode() + " "
                    + unavailable.getClass().getSimpleName();
            LOG.warn("FHIR delivery {} will be retried: {}", delivery.id(), reason);
            Instant now = clock.instant();
            Instant next = retry.next(now, delivery.attempts() + 1);
            QueueTransaction.write(exchange, connection -> FhirDeliveries.later(connection, delivery, reason, next,
                    now));
            return;
        } catch (IllegalArgumentException | DataFormatException | IOException unusable) {
            // the message may quote the content: it goes to the store, for operators, not to the log
            LOG.warn("FHIR delivery {} ({}) failed: {}", delivery.id(), delivery.kind(),
                    unusable.getClass().getSimpleName());
            Instant now = clock.instant();
            QueueTransaction.write(exchange, connection -> FhirDeliveries.finish(connection, delivery.id(), "FAILED",
                    Columns.reason(unusable.getMessage()), now));
            return;
        }
        QueueTransaction.write(exchange, connection -> apply(connection, delivery, work));
        QueueTransaction.signalOnCommit(exchange, CareEventStore.QUEUE);
    }

    /** The entry was parked by its queue (its events could not be stored): the delivery is FAILED, with why. */
    public void parked(Exchange exchange) throws SQLException {
        long id = Long.parseLong(exchange.getIn().getBody(String.class));
        String reason = Columns.reason(exchange.getIn().getHeader(QueueHeaders.FAILURE, String.class));
        Instant now = clock.instant();
        QueueTransaction.write(exchange, connection -> FhirDeliveries.finish(connection, id, "FAILED", reason, now));
    }

    private Work gather(Delivery delivery, Subscription subscription) throws IOException, SQLException {
        State state = deliveries.state(subscription.id());
        return switch (delivery.kind()) {
            case RESOURCE -> new Work(listOf(candidate(fhir.newJsonParser().parseResource(delivery.body()), delivery)),
                    null, null, null);
            case DELETE -> new Work(List.of(), null, null, null);
            case PING, RECONCILE -> search(subscription, state, delivery, List.of(), null, null);
            case BUNDLE -> notification(NotificationBundle.parse(JSON.readTree(delivery.body())), subscription,
                    state, delivery);
        };
    }

    private Work notification(NotificationBundle bundle, Subscription subscription, State state, Delivery delivery) {
        Long last = state.lastEventNumber();
        List<Candidate> candidates = new ArrayList<>();
        boolean search = false;
        Long newest = bundle.eventsSinceStart();
        switch (bundle.type()) {
            case "handshake", "query-status" -> newest = null; // they say nothing of events
            case "heartbeat" -> search = newest != null && newest > (last == null ? 0 : last);
            case "event-notification", "query-event" -> {
                IParser parser = fhir.newJsonParser();
                Long lowest = null;
                for (NotificationBundle.Event event : bundle.events()) {
                    if (event.number() != null && last != null && event.number() <= last) {
                        continue; // seen before: a resent notification
                    }
                    if (event.number() != null) {
                        lowest = lowest == null ? event.number() : Math.min(lowest, event.number());
                        newest = newest == null ? event.number() : Math.max(newest, event.number());
                    }
                    if (event.focus() == null) {
                        search = true; // empty content: what changed is for us to find
                    } else {
                        Optional<IBaseResource> focus = bundle.resource(event.focus())
                                .map(node -> parser.parseResource(node.toString()))
                                .or(() -> read(event.focus()));
                        focus.map(resource -> candidate(resource, delivery)).ifPresent(candidates::add);
                    }
                }
                search |= lowest != null && lowest > (last == null ? 0 : last) + 1; // a gap: events went missing
            }
            default -> throw new IllegalArgumentException("unknown notification type '" + bundle.type() + "'");
        }
        Long lastEvent = newest == null || last != null && newest <= last ? null : newest;
        return search ? search(subscription, state, delivery, candidates, lastEvent, bundle.type())
                : new Work(candidates, lastEvent, null, bundle.type());
    }

    /** Everything matching the subscription's criteria changed since the last search (or the initial look-back). */
    private Work search(Subscription subscription, State state, Delivery delivery, List<Candidate> already,
            Long lastEvent, String notification) {
        Instant since = state.searchFrom() != null ? state.searchFrom()
                : clock.instant().minus(initialLookback).truncatedTo(ChronoUnit.SECONDS);
        String criteria = subscription.criteria();
        Bundle page = client.search().byUrl(criteria + (criteria.contains("?") ? "&" : "?") + "_lastUpdated=ge"
                + since + "&_count=100").returnBundle(Bundle.class).execute();
        List<Candidate> candidates = new ArrayList<>(already);
        Instant newest = since;
        for (int pages = 1; ; pages++) {
            for (Bundle.BundleEntryComponent entry : page.getEntry()) {
                Candidate candidate = candidate(entry.getResource(), delivery);
                if (candidate != null) {
                    candidates.add(candidate);
                    newest = candidate.lastUpdated() != null && candidate.lastUpdated().isAfter(newest)
                            ? candidate.lastUpdated() : newest;
                }
            }
            if (page.getLink(Bundle.LINK_NEXT) == null || pages >= MAX_SEARCH_PAGES) {
                break;
            }
            page = client.loadPage().next(page).execute();
        }
        return new Work(candidates, lastEvent, newest, notification);
    }

    private Optional<IBaseResource> read(String focus) {
        String type = focus.substring(0, focus.indexOf('/'));
        String id = focus.substring(focus.indexOf('/') + 1);
        Class<? extends Resource> resourceType = switch (type) {
            case "Appointment" -> Appointment.class;
            case "Patient" -> Patient.class;
            case "DiagnosticReport" -> DiagnosticReport.class;
            case "MedicationRequest" -> MedicationRequest.class;
            case "Encounter" -> Encounter.class;
            default -> null;
        };
        if (resourceType == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(client.read().resource(resourceType).withId(id).execute());
        } catch (ResourceNotFoundException | ResourceGoneException deleted) {
            return Optional.empty();
        }
    }

    private Candidate candidate(IBaseResource resource, Delivery delivery) {
        Instant lastUpdated = resource.getMeta().getLastUpdated() == null ? null
                : resource.getMeta().getLastUpdated().toInstant();
        String id = resource.getIdElement().getIdPart();
        String version = resource.getMeta().getVersionId() != null ? resource.getMeta().getVersionId()
                : resource.getIdElement().getVersionIdPart();
        String type = fhir.getResourceType(resource);
        Source source = new Source(Source.FHIR, AppointmentLocator.FHIR_SYSTEM, delivery.subscription(),
                type + "/" + id + (version == null ? "" : "/_history/" + version), type, lastUpdated,
                delivery.receivedAt(), delivery.id());
        if (resource instanceof Appointment appointment) {
            FhirCareEvents.Participants participants = references.participants(appointment);
            String status = appointment.hasStatus() ? appointment.getStatus().toCode() : "";
            Instant start = appointment.hasStart() ? appointment.getStart().toInstant() : null;
            return new Candidate(type, id, version, lastUpdated, status, start,
                    seen -> AppointmentTransitions.kind(status, start, seen),
                    (kind, seen) -> mapper.appointment(kind, appointment, participants, source));
        }
        if (resource instanceof Encounter encounter) {
            Patient patient = references.subject(encounter.getSubject());
            String status = encounter.hasStatus() ? encounter.getStatus().toCode() : "";
            return new Candidate(type, id, version, lastUpdated, status, null,
                    seen -> EncounterTransitions.kind(status, FhirCareEvents.isInpatient(encounter), seen),
                    (kind, seen) -> mapper.encounter(kind, encounter, patient, source));
        }
        if (resource instanceof DiagnosticReport report) {
            Patient patient = references.subject(report.getSubject());
            // its status decides what planning does
            return new Candidate(type, id, version, lastUpdated, report.hasStatus() ? report.getStatus().toCode() : "",
                    null, seen -> EventKind.RESULT_REPORTED, (kind, seen) -> mapper.result(report, patient, source));
        }
        if (resource instanceof MedicationRequest request) {
            Patient patient = references.subject(request.getSubject());
            // so do its status and the one before it
            return new Candidate(type, id, version, lastUpdated, request.hasStatus() ? request.getStatus().toCode()
                    : "", null, seen -> EventKind.MEDICATION_ORDERED,
                    (kind, seen) -> mapper.medication(request, seen.map(Seen::status), patient, source));
        }
        if (resource instanceof Patient patient) {
            references.remember(patient);
            return new Candidate(type, id, version, lastUpdated, null, null, seen -> EventKind.PATIENT_UPDATED,
                    (kind, seen) -> mapper.patientUpdated(patient, source));
        }
        return null;
    }

    private void apply(Connection connection, Delivery delivery, Work work) throws SQLException {
        if (!FhirDeliveries.waiting(connection, delivery.id())) {
            return; // another entry of this delivery (an operator's retry) was handled first, in this transaction
        }
        Instant now = clock.instant();
        List<CareEventStore.Serialized> made = new ArrayList<>();
        for (Candidate candidate : work.candidates()) {
            Optional<Seen> seen = FhirDeliveries.seen(connection, candidate.type(), candidate.id());
            if (seen.isPresent() && !isNewer(candidate, seen.get())) {
                continue;
            }
            Seen latest = new Seen(candidate.version(), candidate.lastUpdated(), candidate.status(), candidate.start());
            Optional<String> ours = OwnVersions.writtenFor(connection, candidate.type(), candidate.id(),
                    candidate.version());
            if (ours.isPresent()) {
                // CareLoop's own write-back coming back: known from now on, and no news for the patient
                LOG.info("FHIR {}/{} version {} is CareLoop's own write-back ({}): no event", candidate.type(),
                        candidate.id(), candidate.version(), ours.get());
                FhirDeliveries.remember(connection, candidate.type(), candidate.id(), latest);
                continue;
            }
            EventKind kind = candidate.kind().apply(seen);
            if (kind != null) {
                made.add(events.serialize(candidate.event().apply(kind, seen)));
            }
            FhirDeliveries.remember(connection, candidate.type(), candidate.id(), latest);
        }
        events.insert(connection, made, now);
        FhirDeliveries.updateState(connection, delivery.subscription(), work.lastEventNumber(), work.searchFrom(),
                work.notification(), "heartbeat".equals(work.notification()) ? now : null);
        FhirDeliveries.finish(connection, delivery.id(), "PROCESSED", work.candidates().size() + " resources, "
                + made.size() + " events", now);
        LOG.info("FHIR delivery {} ({}) for subscription '{}': {} resources, {} events", delivery.id(),
                delivery.kind(), delivery.subscription(), work.candidates().size(), made.size());
    }

    /** A duplicate or an older version than the last one seen is not news. */
    private static boolean isNewer(Candidate candidate, Seen seen) {
        if (candidate.version() != null && candidate.version().equals(seen.versionId())) {
            return false;
        }
        if (candidate.version() != null && seen.versionId() != null && candidate.version().matches("\\d{1,18}")
                && seen.versionId().matches("\\d{1,18}")) {
            return Long.parseLong(candidate.version()) > Long.parseLong(seen.versionId());
        }
        return candidate.lastUpdated() == null || seen.lastUpdated() == null
                || candidate.lastUpdated().isAfter(seen.lastUpdated());
    }

    private static <T> List<T> listOf(T value) {
        return value == null ? List.of() : List.of(value);
    }
}
