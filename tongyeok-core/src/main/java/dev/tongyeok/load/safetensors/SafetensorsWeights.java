package dev.tongyeok.load.safetensors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tongyeok.load.ModelException;
import dev.tongyeok.load.Weight;
import dev.tongyeok.load.WeightSource;
import dev.tongyeok.tensor.DType;
import dev.tongyeok.tensor.Tensor;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Weights in HuggingFace's safetensors format, one file or several shards listed by
 * {@code model.safetensors.index.json}; each file is memory-mapped and tensors are views into it.
 *
 * <p>Byte layout (https://github.com/huggingface/safetensors):
 * <ol>
 *   <li>N, the header length: unsigned 64-bit little-endian (8 bytes);
 *   <li>the header: N bytes of UTF-8 JSON, {@code {"name": {"dtype": "F32", "shape": [..],
 *       "data_offsets": [begin, end]}, "__metadata__": {..}}}, offsets relative to the data;
 *   <li>the data, from byte 8 + N to the end of the file.
 * </ol>
 * Checkpoints of task models ({@code BertForMaskedLM}, {@code XLMRobertaForMaskedLM}) prefix names
 * with {@code bert.} or {@code roberta.}; the prefix is dropped so names match {@code BertModel}'s.
 */
public final class SafetensorsWeights implements WeightSource {
    private static final long MAX_HEADER = 100L << 20;

    private final String source;
    private final Map<String, Weight> weights;

    private SafetensorsWeights(String source, Map<String, Weight> weights) {
        this.source = source;
        this.weights = Collections.unmodifiableMap(weights);
    }

    /**
     * Reads one {@code .safetensors} file or a {@code model.safetensors.index.json} and its shards.
     *
     * @throws ModelException when a file is truncated, its header is not valid, or a tensor lies outside the data
     * @throws IOException when a file cannot be read
     */
    public static SafetensorsWeights read(Path file) throws IOException {
        Map<String, Weight> all = new LinkedHashMap<>();
        if (file.getFileName().toString().endsWith(".json")) {
            JsonNode index;
            try {
                index = new ObjectMapper().readTree(file.toFile());
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new ModelException(file.getFileName() + ": not valid JSON (line "
                        + e.getLocation().getLineNr() + ")");
            }
            JsonNode map = index == null ? null : index.get("weight_map");
            if (map == null || !map.isObject()) {
                throw new ModelException(file.getFileName() + ": no \"weight_map\" object");
            }
            Set<String> shards = new TreeSet<>();
            map.properties().forEach(e -> shards.add(e.getValue().asText()));
            for (String shard : shards) {
                Path p = file.resolveSibling(shard);
                if (!Files.isRegularFile(p)) {
                    throw new ModelException(file.getFileName() + ": shard " + shard + " does not exist");
                }
                readOne(p, all);
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = map.properties().iterator(); it.hasNext();) {
                String name = strip(it.next().getKey());
                if (!all.containsKey(name)) {
                    throw new ModelException(file.getFileName() + ": tensor " + name + " is listed but in no shard");
                }
            }
        } else {
            readOne(file, all);
        }
        return new SafetensorsWeights(file.getFileName().toString(), all);
    }

    private static String strip(String name) {
        return name.startsWith("bert.") ? name.substring(5) : name.startsWith("roberta.") ? name.substring(8) : name;
    }

    private static void readOne(Path file, Map<String, Weight> out) throws IOException {
        String f = file.getFileName().toString();
        MemorySegment seg;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            seg = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), Arena.ofAuto());
        }
        // 1. header length
        if (seg.byteSize() < 8) {
            throw new ModelException(f + ": " + seg.byteSize() + " bytes, too short for a safetensors header");
        }
        long n = seg.get(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 0);
        if (n < 2 || n > MAX_HEADER || 8 + n > seg.byteSize()) {
            throw new ModelException(f + " offset 0x0: header length " + Long.toUnsignedString(n)
                    + " does not fit a file of " + seg.byteSize() + " bytes (not safetensors, or truncated)");
        }
        // 2. header JSON
        byte[] headerBytes = seg.asSlice(8, n).toArray(ValueLayout.JAVA_BYTE);
        JsonNode header;
        try {
            header = new ObjectMapper().readTree(new String(headerBytes, StandardCharsets.UTF_8));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new ModelException(f + " offset 0x8: header is not valid JSON (" + e.getOriginalMessage() + ")");
        }
        if (header == null || !header.isObject() || !(headerBytes[0] == '{')) {
            throw new ModelException(f + " offset 0x8: header is not a JSON object (not safetensors?)");
        }
        // 3. data
        long dataStart = 8 + n;
        long dataLen = seg.byteSize() - dataStart;
        for (Map.Entry<String, JsonNode> e : header.properties()) {
            String name = e.getKey();
            if (name.equals("__metadata__")) {
                continue;
            }
            JsonNode t = e.getValue();
            String dt = t.path("dtype").asText("");
            DType type = switch (dt) {
                case "F32" -> DType.F32;
                case "F16" -> DType.F16;
                case "BF16" -> DType.BF16;
                case "I8" -> DType.I8;
                case "U8" -> DType.U8;
                case "I32" -> DType.I32;
                case "I64" -> DType.I64;
                case "F64" -> DType.F64;
                default -> throw new ModelException(f + ": tensor " + name + " has dtype '" + dt
                        + "' (expected F32, F16, BF16, I8, U8, I32, I64, F64)");
            };
            JsonNode shapeNode = t.get("shape");
            JsonNode offs = t.get("data_offsets");
            if (shapeNode == null || !shapeNode.isArray() || offs == null || !offs.isArray() || offs.size() != 2) {
                throw new ModelException(f + ": tensor " + name + " needs \"shape\" and two \"data_offsets\"");
            }
            long[] shape = new long[shapeNode.size()];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = shapeNode.get(i).asLong(-1);
                if (shape[i] < 0) {
                    throw new ModelException(f + ": tensor " + name + " has shape " + shapeNode);
                }
            }
            long begin = offs.get(0).asLong(-1);
            long end = offs.get(1).asLong(-1);
            long need = Tensor.elementCount(shape) * type.bytes();
            if (begin < 0 || end < begin || end > dataLen) {
                throw new ModelException(f + ": tensor " + name + " data_offsets [" + begin + ", " + end
                        + "] lie outside the " + dataLen + " data bytes (file truncated?)");
            }
            if (end - begin != need) {
                throw new ModelException(f + ": tensor " + name + " shape " + shapeNode + " of " + dt + " needs " + need
                        + " bytes, data_offsets give " + (end - begin));
            }
            String key = strip(name);
            out.put(key, Weight.of(key, new Tensor(name, type, shape, seg.asSlice(dataStart + begin, need))));
        }
    }

    @Override
    public String source() {
        return source;
    }

    @Override
    public Set<String> names() {
        return weights.keySet();
    }

    @Override
    public Optional<Weight> find(String name) {
        return Optional.ofNullable(weights.get(name));
    }
}
