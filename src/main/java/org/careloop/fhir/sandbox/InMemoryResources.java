package org.careloop.fhir.sandbox;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.annotation.ConditionalUrlParam;
import ca.uhn.fhir.rest.annotation.Create;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.OptionalParam;
import ca.uhn.fhir.rest.annotation.Patch;
import ca.uhn.fhir.rest.annotation.Read;
import ca.uhn.fhir.rest.annotation.ResourceParam;
import ca.uhn.fhir.rest.annotation.Search;
import ca.uhn.fhir.rest.annotation.Update;
import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.api.PatchTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.param.DateRangeParam;
import ca.uhn.fhir.rest.param.TokenOrListParam;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.server.IResourceProvider;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.PreconditionFailedException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import ca.uhn.fhir.rest.server.exceptions.ResourceVersionConflictException;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.DomainResource;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Identifier;

/**
 * One resource type of the sandbox FHIR server, kept in memory with every version: read and vread, create, update
 * honouring If-Match (a stale version is refused with 409, as HAPI FHIR JPA does), JSON Patch requiring If-Match
 * (412 without it, 409 when stale, as Oracle Health does), conditional create (If-None-Exist by identifier), and
 * search by identifier, status and _lastUpdated.
 */
public final class InMemoryResources<T extends DomainResource> implements IResourceProvider {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Class<T> type;
    private final FhirContext fhir;
    private final Map<String, List<T>> versions = new LinkedHashMap<>();
    private final AtomicLong ids = new AtomicLong(1000);
    private UnaryOperator<T> beforeNextUpdate;
    private final List<Consumer<T>> changes = new CopyOnWriteArrayList<>();

    InMemoryResources(Class<T> type, FhirContext fhir) {
        this.type = type;
        this.fhir = fhir;
    }

    @Override
    public Class<T> getResourceType() {
        return type;
    }

    @Read(version = true)
    public synchronized T read(@IdParam IdType id) {
        List<T> history = versions.get(id.getIdPart());
        if (history == null) {
            throw new ResourceNotFoundException(id);
        }
        if (!id.hasVersionIdPart()) {
            return copy(history.get(history.size() - 1));
        }
        int version = Integer.parseInt(id.getVersionIdPart());
        if (version < 1 || version > history.size()) {
            throw new ResourceNotFoundException(id);
        }
        return copy(history.get(version - 1));
    }

    /** Create; with If-None-Exist {@code identifier=system|value}, an existing match is answered instead. */
    @Create
    public synchronized MethodOutcome create(@ResourceParam T resource, @ConditionalUrlParam String ifNoneExist) {
        if (ifNoneExist != null && ifNoneExist.contains("identifier=")) {
            String token = URLDecoder.decode(ifNoneExist.substring(ifNoneExist.indexOf("identifier=") + 11)
                    .split("&")[0], StandardCharsets.UTF_8);
            TokenParam identifier = token.contains("|")
                    ? new TokenParam(token.substring(0, token.indexOf('|')), token.substring(token.indexOf('|') + 1))
                    : new TokenParam(token);
            List<T> existing = search(identifier, null, null);
            if (!existing.isEmpty()) {
                return new MethodOutcome(existing.get(0).getIdElement(), false);
            }
        }
        return store(String.valueOf(ids.incrementAndGet()), resource, true);
    }

    @Update
    public synchronized MethodOutcome update(@IdParam IdType id, @ResourceParam T resource) {
        landConcurrentEdit(id.getIdPart());
        checkVersion(id.getIdPart(), id.getVersionIdPart());
        return store(id.getIdPart(), resource, !versions.containsKey(id.getIdPart()));
    }

    @Patch
    public synchronized MethodOutcome patch(@IdParam IdType id, PatchTypeEnum patchType, @ResourceParam String body,
            RequestDetails request) {
        if (patchType != PatchTypeEnum.JSON_PATCH) {
            throw new InvalidRequestException("only JSON Patch is supported");
        }
        String ifMatch = request.getHeader("If-Match");
        if (ifMatch == null || ifMatch.isBlank()) {
            throw new PreconditionFailedException("PATCH needs If-Match with the version it applies to");
        }
        landConcurrentEdit(id.getIdPart());
        T current = current(id.getIdPart());
        checkVersion(id.getIdPart(), ifMatch.replaceAll("[^0-9]", ""));
        try {
            ObjectNode document = (ObjectNode) JSON.readTree(fhir.newJsonParser().encodeResourceToString(current));
            JsonPatch.apply(document, JSON.readTree(body));
            return store(id.getIdPart(), fhir.newJsonParser().parseResource(type, document.toString()), false);
        } catch (IllegalStateException failedTest) {
            throw new UnprocessableEntityException("the patch does not apply: " + failedTest.getMessage());
        } catch (IOException | IllegalArgumentException bad) {
            throw new InvalidRequestException("not a JSON Patch: " + bad.getMessage());
        }
    }

    @Search
    public synchronized List<T> search(@OptionalParam(name = "identifier") TokenParam identifier,
            @OptionalParam(name = "status") TokenOrListParam status,
            @OptionalParam(name = "_lastUpdated") DateRangeParam lastUpdated) {
        List<T> found = new ArrayList<>();
        for (List<T> history : versions.values()) {
            T latest = history.get(history.size() - 1);
            if (identifier != null && !hasIdentifier(latest, identifier)) {
                continue;
            }
            if (status != null && status.getValuesAsQueryTokens().stream().noneMatch(token -> token.getValue()
                    .equals(fhir.newTerser().getSinglePrimitiveValueOrNull(latest, "status")))) {
                continue;
            }
            if (lastUpdated != null && !within(lastUpdated, latest.getMeta().getLastUpdated())) {
                continue;
            }
            found.add(copy(latest));
        }
        return found;
    }

    private static boolean within(DateRangeParam range, Date at) {
        Date low = range.getLowerBoundAsInstant();
        Date high = range.getUpperBoundAsInstant();
        return (low == null || !at.before(low)) && (high == null || !at.after(high));
    }

    /** Calls the listener with every version stored from now on, as a server notifies its subscriptions. */
    public void onChange(Consumer<T> listener) {
        changes.add(listener);
    }

    /** The next update or patch of an existing resource first lands this edit (as if staff saved at that moment). */
    public synchronized void beforeNextUpdate(UnaryOperator<T> edit) {
        this.beforeNextUpdate = edit;
    }

    private void landConcurrentEdit(String id) {
        if (beforeNextUpdate != null && versions.containsKey(id)) {
            UnaryOperator<T> edit = beforeNextUpdate;
            beforeNextUpdate = null;
            store(id, edit.apply(current(id)), false);
        }
    }

    /** Every resource as it stands now, for tests and the demo. */
    public List<T> all() {
        return search(null, null, null);
    }

    /** The current version of a resource, for tests and the demo. */
    public synchronized T current(String id) {
        List<T> history = versions.get(id);
        if (history == null) {
            throw new ResourceNotFoundException(new IdType(type.getSimpleName(), id));
        }
        return copy(history.get(history.size() - 1));
    }

    public synchronized int versionCount(String id) {
        return versions.getOrDefault(id, List.of()).size();
    }

    private void checkVersion(String id, String expectedVersion) {
        if (expectedVersion == null || expectedVersion.isBlank() || !versions.containsKey(id)) {
            return;
        }
        int current = versions.get(id).size();
        if (Integer.parseInt(expectedVersion) != current) {
            throw new ResourceVersionConflictException("HAPI-0989: Trying to update " + type.getSimpleName() + "/" + id
                    + "/_history/" + expectedVersion + " but this is not the current version (" + current + ")");
        }
    }

    private MethodOutcome store(String id, T resource, boolean created) {
        List<T> history = versions.computeIfAbsent(id, key -> new ArrayList<>());
        T stored = copy(resource);
        String version = String.valueOf(history.size() + 1);
        stored.setId(new IdType(type.getSimpleName(), id, version));
        stored.getMeta().setVersionId(version).setLastUpdated(new Date());
        history.add(stored);
        T changed = copy(stored);
        changes.forEach(listener -> listener.accept(changed));
        MethodOutcome outcome = new MethodOutcome(stored.getIdElement(), created);
        outcome.setResource(copy(stored));
        return outcome;
    }

    private boolean hasIdentifier(T resource, TokenParam token) {
        try {
            @SuppressWarnings("unchecked")
            List<Identifier> identifiers = (List<Identifier>) resource.getClass().getMethod("getIdentifier")
                    .invoke(resource);
            return identifiers.stream().anyMatch(i -> i.getValue().equals(token.getValue())
                    && (token.getSystem() == null || token.getSystem().equals(i.getSystem())));
        } catch (ReflectiveOperationException noIdentifiers) {
            return false;
        }
    }

    @SuppressWarnings("unchecked")
    private T copy(IBaseResource resource) {
        return (T) ((DomainResource) resource).copy();
    }
}
