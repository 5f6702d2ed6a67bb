package org.careloop.hl7.extract;

import ca.uhn.hl7v2.model.Segment;
import java.util.ArrayList;
import java.util.List;
import org.careloop.event.Coded;
import org.careloop.event.Order;
import org.careloop.hl7.HandledMessage.Family;

/** Reads the ids, tests and statuses of a results report (ORC/OBR/OBX), or a pharmacy order and its timing. */
final class OrderReader {

    private OrderReader() {
    }

    static Order read(Hl7Fields fields, Family family, DosingReader dosing, Warnings warnings) {
        String placer = first(fields.get("ORC", 2, 1), fields.get("OBR", 2, 1));
        String filler = first(fields.get("ORC", 3, 1), fields.get("OBR", 3, 1));
        String group = fields.get("ORC", 4, 1);
        if (family == Family.RESULTS) {
            List<Order.ReportedTest> tests = new ArrayList<>();
            for (Segment obr : fields.segments("OBR")) {
                // OBR-25 is required in a result; a feed that leaves it empty says it per OBX (OBX-11)
                tests.add(new Order.ReportedTest(DataTypes.coded(obr, 4), Hl7Fields.get(obr, 24, 0, 1, 1),
                        first(Hl7Fields.get(obr, 25, 0, 1, 1), fields.get("OBX", 11, 1))));
            }
            Coded test = tests.isEmpty() ? null : tests.get(0).test();
            return new Order(placer, filler, test, tests.isEmpty() ? fields.get("OBX", 11, 1) : tests.get(0).status(),
                    group, tests, null);
        }
        Coded medication = fields.segment("RXE").map(rxe -> DataTypes.coded(rxe, 2)).orElse(null);
        return new Order(placer, filler, medication, first(fields.get("ORC", 5, 1), fields.get("ORC", 1, 1)), group,
                List.of(), dosing.read(fields, warnings));
    }

    private static String first(String preferred, String fallback) {
        return preferred.isEmpty() ? fallback : preferred;
    }
}
