package org.careloop.event;

/**
 * A results report or a medication order, to the level of its ids: CareLoop tells patients that results are
 * ready, never what they are.
 *
 * @param placerId ORC-2 / OBR-2
 * @param fillerId ORC-3 / OBR-3
 * @param code     OBR-4 (test) or RXE-2 (medication)
 * @param status   OBR-25 result status (F final, P preliminary, C corrected...) or ORC-5 order status
 */
public record Order(String placerId, String fillerId, Coded code, String status) {
}
