package org.alcor.controller.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.alcor.controller.core.AlcorException;

/** JSON in and out: compact output, strict input (duplicate keys and trailing garbage are malformed). */
public final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    static {
        MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build());
    }

    private Json() {}

    public static byte[] write(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses a request body; anything but well-formed JSON is a 400. */
    public static Object read(byte[] body) {
        if (body == null || body.length == 0) throw AlcorException.badRequest("Resource body required");
        try {
            return MAPPER.readValue(body, Object.class);
        } catch (IOException e) {
            throw AlcorException.badRequest("Malformed request body: the body is not valid JSON.");
        }
    }
}
