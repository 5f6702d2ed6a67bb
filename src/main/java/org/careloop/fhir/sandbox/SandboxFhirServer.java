package org.careloop.fhir.sandbox;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.server.RestfulServer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.Communication;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.DomainResource;
import org.hl7.fhir.r4.model.Flag;
import org.hl7.fhir.r4.model.Location;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.Task;

/**
 * A FHIR R4 server that runs here: HAPI's RestfulServer on Jetty, over real HTTP, with versioned in-memory Patient,
 * Appointment, Practitioner, Location, Task, Communication, DiagnosticReport and Flag. The sandbox's stand-in for a
 * hospital's FHIR server, and the tests' peer. It can be stopped and started again on the same port (a server that
 * is down, then back).
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
                reports, flags));
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

    /**
     * An R4 rest-hook subscription with payload to every change of Appointments (or Patients, or DiagnosticReports):
     * from now on each new
     * version, whoever wrote it, is delivered to {@code endpoint} with these headers, as a hospital's server does.
     */
    public void subscribe(Class<? extends DomainResource> type, String endpoint, Map<String, String> headers) {
        RestHookNotifier notifier = new RestHookNotifier(fhir, endpoint, headers);
        subscriptions.add(notifier);
        if (type == Appointment.class) {
            appointments.onChange(notifier::changed);
        } else if (type == Patient.class) {
            patients.onChange(notifier::changed);
        } else if (type == DiagnosticReport.class) {
            reports.onChange(notifier::changed);
        } else {
            throw new IllegalArgumentException("the sandbox notifies changes of Appointment, Patient and "
                    + "DiagnosticReport, not of "
                    + type.getSimpleName());
        }
    }

    @Override
    public void close() throws Exception {
        stop();
        subscriptions.forEach(RestHookNotifier::close);
    }
}
