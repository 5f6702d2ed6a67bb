package org.careloop.hl7.extract;

import org.careloop.event.Coded;
import org.careloop.event.Order;
import org.careloop.hl7.HandledMessage.Family;

/** Reads the ids and status of a results report (ORC/OBR/OBX) or a pharmacy order (ORC/RXE). */
final class OrderReader {

    private OrderReader() {
    }

    static Order read(Hl7Fields fields, Family family) {
        String placer = first(fields.get("ORC", 2, 1), fields.get("OBR", 2, 1));
        String filler = first(fields.get("ORC", 3, 1), fields.get("OBR", 3, 1));
        if (family == Family.RESULTS) {
            Coded test = fields.segment("OBR").map(obr -> DataTypes.coded(obr, 4)).orElse(null);
            return new Order(placer, filler, test, first(fields.get("OBR", 25, 1), fields.get("OBX", 11, 1)));
        }
        Coded medication = fields.segment("RXE").map(rxe -> DataTypes.coded(rxe, 2)).orElse(null);
        return new Order(placer, filler, medication, first(fields.get("ORC", 5, 1), fields.get("ORC", 1, 1)));
    }

    private static String first(String preferred, String fallback) {
        return preferred.isEmpty() ? fallback : preferred;
    }
}
