package org.careloop.planning;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Period;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.careloop.event.CareEvent;
import org.careloop.event.Coded;
import org.careloop.event.Order;

/**
 * A results mapping's safety rules ({@code results:} in its mapping): which statuses are announced, how long results
 * of one visit or order group are gathered into one notice, whether a correction after the notice is news, who is too
 * young to be told, and which tests are never announced or only after a delay. A notice never says what the results
 * are: the shipped templates name no test and no value.
 *
 * @param announced         OBR-25 statuses that are announced (FHIR statuses are read into these); others wait
 * @param batchWindow       results of one visit or order group arriving within this after the first give one
 *                          notice, sent when it ends
 * @param notifyCorrections a corrected result after its notice went out sends the mapping's template once more
 * @param minimumAge        a patient younger than this (by PID-7 / Patient.birthDate) is told nothing, or null for
 *                          no age rule
 * @param sensitive         tests held back, first match wins
 * @param namedTests        tests whose name {result.name} may show (OBR-4.1 or "system|code"); a report with any
 *                          other test, or a notice for several reports, shows the field's fallback instead
 */
public record ResultRules(Set<String> announced, Duration batchWindow, boolean notifyCorrections, Integer minimumAge,
        List<Sensitive> sensitive, Set<String> namedTests) {

    public ResultRules {
        namedTests = Set.copyOf(namedTests);
        announced = Collections.unmodifiableSet(new LinkedHashSet<>(announced)); // in the mapping's order
        sensitive = List.copyOf(sensitive);
    }

    /**
     * Tests a site holds back: by code (OBR-4.1 or "system|code", e.g. "LN|75622-1") or by diagnostic service section
     * (OBR-24, e.g. SP, CG; FHIR DiagnosticReport.category).
     *
     * @param delay how long after the final result the notice waits, or null: never announced
     */
    public record Sensitive(String id, Set<String> codes, Set<String> sections, Duration delay) {

        public Sensitive {
            codes = Set.copyOf(codes);
            sections = Set.copyOf(sections);
        }

        boolean covers(Coded test, String section) {
            return isListed(codes, test) || section != null && sections.contains(section.toUpperCase(Locale.ROOT));
        }

        /** The reason written on the notice's row and on the report. */
        String reason() {
            return "sensitive result (site rule '" + id + "'): " + (delay == null ? "never announced"
                    : "announced " + Durations.label(delay) + " after the final result");
        }
    }

    /** Whether the site lets a notice name this test. */
    boolean mayName(Coded test) {
        return isListed(namedTests, test);
    }

    /** A test listed by its code (OBR-4.1) or "system|code". */
    private static boolean isListed(Set<String> codes, Coded test) {
        return test != null && (codes.contains(test.code()) || codes.contains(test.system() + "|" + test.code()));
    }

    /** What these rules make of a results report at this moment ({@code zone}: where the patient's age is counted). */
    ResultDecision judge(CareEvent event, Instant now, ZoneId zone) {
        Order order = event.order();
        String application = event.source().sendingApplication();
        String id = !order.fillerId().isEmpty() ? order.fillerId() : !order.placerId().isEmpty() ? order.placerId()
                : "message-" + event.source().controlId();
        String orderKey = application + "|" + id;
        String groupKey = event.visit() != null && !event.visit().visitNumber().isEmpty()
                ? "visit:" + application + "|" + event.visit().visitNumber()
                : !order.groupId().isEmpty() ? "group:" + application + "|" + order.groupId() : "order:" + orderKey;
        List<Order.ReportedTest> tests = order.tests().isEmpty()
                ? List.of(new Order.ReportedTest(order.code(), "", order.status())) : order.tests();
        Optional<String> unfinished = tests.stream().map(t -> t.status().toUpperCase(Locale.ROOT))
                .filter(s -> !announced.contains(s)).findFirst();
        boolean correction = tests.stream().anyMatch(t -> t.status().equalsIgnoreCase("C"));
        String status = unfinished.orElse(correction ? "C" : tests.get(0).status().toUpperCase(Locale.ROOT));
        if (unfinished.isPresent()) {
            return new ResultDecision(ResultDecision.Outcome.WAITING, "waiting for a final result: the status is '"
                    + unfinished.get() + "', announced are " + announced, orderKey, groupKey, status, false, null);
        }
        LocalDate born = event.patient().birthDate();
        if (minimumAge != null && born != null && Period.between(born, now.atZone(zone).toLocalDate()).getYears()
                < minimumAge) {
            return new ResultDecision(ResultDecision.Outcome.MINOR, "the patient is under " + minimumAge
                    + " (results.minimumAge): results are not announced to minors, and no guardian contact is mapped",
                    orderKey, groupKey, status, correction, batchWindow);
        }
        for (Order.ReportedTest test : tests) {
            Optional<Sensitive> rule = sensitive.stream().filter(r -> r.covers(test.test(), test.section()))
                    .findFirst();
            if (rule.isPresent()) {
                Sensitive held = rule.get();
                return new ResultDecision(held.delay() == null ? ResultDecision.Outcome.NEVER
                        : ResultDecision.Outcome.HELD, held.reason(), orderKey, groupKey, status, correction,
                        held.delay() == null ? batchWindow : held.delay());
            }
        }
        return new ResultDecision(ResultDecision.Outcome.ANNOUNCE, null, orderKey, groupKey, status, correction,
                batchWindow);
    }

    /** The {@code results:} block of a mapping, or empty when it has none; problems are added, naming the fix. */
    static Optional<ResultRules> read(JsonNode node, List<String> problems) {
        if (node.isMissingNode()) {
            return Optional.empty();
        }
        Set<String> announced = new LinkedHashSet<>();
        node.path("announce").forEach(s -> announced.add(s.asText().trim().toUpperCase(Locale.ROOT)));
        if (announced.isEmpty()) {
            announced.addAll(List.of("F", "C"));
        }
        Duration window = duration(node.path("batchWindow"), "results.batchWindow", "30m", problems);
        String corrections = node.path("onCorrection").asText("ignore");
        if (!corrections.equals("ignore") && !corrections.equals("notify")) {
            problems.add("'results.onCorrection' is '" + corrections + "'; use ignore (a corrected result after the "
                    + "notice sends nothing) or notify (it sends the template once more)");
        }
        Integer minimumAge = null;
        if (!node.path("minimumAge").isMissingNode()) {
            minimumAge = node.path("minimumAge").asInt(-1);
            if (minimumAge < 0 || minimumAge > 25) {
                problems.add("'results.minimumAge' is '" + node.path("minimumAge").asText() + "'; give an age in "
                        + "years such as 18, or leave it out for no age rule");
            }
        }
        List<Sensitive> sensitive = new ArrayList<>();
        int index = 0;
        for (JsonNode rule : node.path("sensitive")) {
            String id = rule.path("id").asText("#" + index);
            Set<String> codes = strings(rule.path("codes"));
            Set<String> sections = new LinkedHashSet<>();
            strings(rule.path("sections")).forEach(s -> sections.add(s.toUpperCase(Locale.ROOT)));
            if (codes.isEmpty() && sections.isEmpty()) {
                problems.add("sensitive rule '" + id + "' names no 'codes' and no 'sections'; list the tests it holds");
            }
            String hold = rule.path("hold").asText("never");
            Duration delay = hold.equals("never") ? null
                    : duration(rule.path("hold"), "sensitive rule '" + id + "' hold", "never", problems);
            sensitive.add(new Sensitive(id, codes, sections, delay));
            index++;
        }
        return Optional.of(new ResultRules(announced, window, corrections.equals("notify"), minimumAge, sensitive,
                strings(node.path("namedTests"))));
    }

    private static Duration duration(JsonNode node, String name, String example, List<String> problems) {
        if (node.isMissingNode()) {
            return Duration.ofMinutes(30);
        }
        Optional<Duration> parsed = Durations.parse(node.asText());
        if (parsed.isEmpty()) {
            problems.add("'" + name + "' is '" + node.asText() + "'; use a duration such as 90m, 2h or 3d (or "
                    + example + ")");
        }
        return parsed.orElse(Duration.ZERO);
    }

    private static Set<String> strings(JsonNode node) {
        Set<String> values = new LinkedHashSet<>();
        node.forEach(v -> values.add(v.asText().trim()));
        return values;
    }
}
