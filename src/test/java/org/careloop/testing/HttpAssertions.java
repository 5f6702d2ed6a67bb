package org.careloop.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;

/** Assertions on HTTP answers that, when they fail, say what was asked and what came back. */
public final class HttpAssertions {

    private HttpAssertions() {
    }

    /** The answer has this status; otherwise the failure shows the request and the body that did come back. */
    public static <T> HttpResponse<T> assertStatus(HttpResponse<T> response, int expected) {
        assertThat(response.statusCode())
                .as("%s %s answered %d: %s", response.request().method(), response.request().uri().getPath(),
                        response.statusCode(), response.body())
                .isEqualTo(expected);
        return response;
    }
}
