package io.hermitengp.config;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads config JSON strictly: duplicate keys, trailing garbage and non-finite numbers are errors,
 * as are unknown keys and out-of-range values (checked by {@link TrainConfig#parse}).
 */
public final class ConfigReader {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private ConfigReader() {
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static JsonNode parseTree(String json, String source) {
        try {
            return MAPPER.readTree(json);
        } catch (JsonParseException e) {
            throw new ConfigException(source + ": " + e.getOriginalMessage() + " at line "
                    + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr(), e);
        } catch (IOException e) {
            throw new ConfigException(source + ": not valid JSON: " + e.getMessage(), e);
        }
    }

    public static TrainConfig readTrainConfig(String json, String source) {
        JsonNode tree = parseTree(json, source);
        try {
            return TrainConfig.parse(tree);
        } catch (ConfigException e) {
            throw new ConfigException(source + ": " + e.getMessage(), e);
        }
    }

    public static TrainConfig readTrainConfig(Path file) {
        String json;
        try {
            json = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException("config file not found: " + file);
        } catch (IOException e) {
            throw new ConfigException("cannot read config file " + file + ": " + e.getMessage(), e);
        }
        return readTrainConfig(json, file.toString());
    }
}
