package org.alcor.controller.core;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;

/** Resources are stored as compact JSON: the same shape the API renders, so reads need no mapping code. */
public final class ResourceCodec {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {};

    private ResourceCodec() {}

    public static byte[] encode(Resource resource) {
        try {
            return MAPPER.writeValueAsBytes(resource.attrs());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Resource decode(byte[] doc) {
        try {
            return new Resource(MAPPER.readValue(doc, MAP));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
