package org.careloop.fhir.sandbox;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.server.RestfulServer;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.Communication;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.DomainResource;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Flag;
import org.hl7.fhir.r4.model.Location;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.MedicationStatement;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.Task;

/**
 * A FHIR R4 server that runs here: HAPI's RestfulServer on Jetty, over real HTTP, with versioned in-memory Patient,
 * Appointment, Practitioner, Location, Task, Communication, DiagnosticReport, Flag, MedicationRequest,
 * MedicationStatement and Encounter. The sandbox's stand-in for a hospital's FHIR server, and the tests' peer. It
 * can be stopped and started again on the same port (a server that is down, then back).
 */
public final class SandboxFhirServer implements AutoCloseable {

    private final FhirContext fhir = FhirContext.forR4Cached();
    private final InMemoryResources<Patient> patients = new InMemoryResources<>(Patient.class, fhir);
    private final InMemoryResources<Appointment> appointments = new InMemoryResources<>(Appointment.class, fhir);
    private final InMemoryResources<Task> tasks = new InMemoryResources<>(Task.class, fhir);
    private final InMemoryResources<Communication> communications = new InMemoryResources<>(Communication.class, fhir);
    private final InMemoryResources<Practitioner> practitioners = new InMemoryResources<>(Practitioner.class, fhir);
    private final InMemoryResources<Location> locations = new InMemoryResources<>(Location.class, fhir);
    private final InMemoryResources<DiagnosticReport> reports = new InMemoryResources<>(DiagnosticReport.class, fhir);
    private final InMemoryResources<Flag> flags = new InMemoryResources<>(Flag.class, fhir);
    private final InMemoryResources<MedicationRequest> medicationRequests =
            new InMemoryResources<>(MedicationRequest.class, fhir);
    private final InMemoryResources<Encounter> encounters = new InMemoryResources<>(Encounter.class, fhir);
    private final InMemoryResources<MedicationStatement> medicationStatements =
            new InMemoryResources<>(MedicationStatement.class, fhir);
    /** The resources whose changes a subscription can be notified of, by type. */
    private final Map<String, InMemoryResources<?>> notifying = Map.of("Appointment", appointments, "Patient",
            patients, "Encounter", encounters, "DiagnosticReport", reports, "MedicationRequest", medicationRequests);
    private final List<RestHookNotifier> subscriptions = new CopyOnWriteArrayList<>();
    private final String host;
    private int port;
    private Server jetty;

    public SandboxFhirServer(String host, int port) {
        this.host = host;
        this.port = port;
    }

    public synchronized SandboxFhirServer start() throws Exception {
        RestfulServer restful = new RestfulServer(fhir);
        restful.setResourceProviders(List.of(patients, appointments, tasks, communications, practitioners, locations,
                reports, flags, medicationRequests, encounters, medicationStatements));
        jetty = new Server();
        ServerConnector connector = new ServerConnector(jetty);
        connector.setHost(host);
        connector.setPort(port);
        jetty.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.addServlet(new ServletHolder(restful), "/fhir/*");
        jetty.setHandler(context);
        jetty.start();
        port = connector.getLocalPort();
        return this;
    }

    /** Stops answering (connections are refused) until {@link #start} is called again; the data stays. */
    public synchronized void stop() throws Exception {
        if (jetty != null) {
            jetty.stop();
            jetty = null;
        }
    }

    public String baseUrl() {
        return "http://" + host + ":" + port + "/fhir";
    }

    public InMemoryResources<Patient> patients() {
        return patients;
    }

    public InMemoryResources<Appointment> appointments() {
        return appointments;
    }

    public InMemoryResources<Task> tasks() {
        return tasks;
    }

    public InMemoryResources<Communication> communications() {
        return communications;
    }

    public InMemoryResources<Practitioner> practitioners() {
        return practitioners;
    }

    public InMemoryResources<Location> locations() {
        return locations;
    }

    public InMemoryResources<DiagnosticReport> diagnosticReports() {
        return reports;
    }

    public InMemoryResources<Flag> flags() {
        return flags;
    }

    public InMemoryResources<MedicationRequest> medicationRequests() {
        return medicationRequests;
    }

    public InMemoryResources<Encounter> encounters() {
        return encounters;
    }

    public InMemoryResources<MedicationStatement> medicationStatements() {
        return medicationStatements;
    }

    /**
     * An R4 rest-hook subscription with payload to every change of one resource type (Appointment, Patient,
     * Encounter, DiagnosticReport, MedicationRequest): from now on each new version, whoever wrote it, is delivered to
     * {@code endpoint} with these headers, as a hospital's server does.
     */
    public void subscribe(Class<? extends DomainResource> type, String endpoint, Map<String, String> headers) {
        subscribe(type.getSimpleName(), endpoint, headers);
    }

    /** As {@link #subscribe(Class, String, Map)}, by the resource type's name. */
    public void subscribe(String type, String endpoint, Map<String, String> headers) {
        InMemoryResources<?> resources = notifying.get(type);
        if (resources == null) {
            throw new IllegalArgumentException("the sandbox notifies changes of " + new TreeSet<>(notifying.keySet())
                    + ", not of " + type);
        }
        RestHookNotifier notifier = new RestHookNotifier(fhir, endpoint, headers);
        subscriptions.add(notifier);
        resources.onChange(notifier::changed);
    }

    @Override
    public void close() throws Exception {
        stop();
        subscriptions.forEach(RestHookNotifier::close);
    }
}
