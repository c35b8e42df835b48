package dev.tongyeok.hub;

import dev.tongyeok.tokenize.sentencepiece.SentencePieceModel;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which files of a repository a model needs: the configuration, the tokenizer (tokenizer.json, else a
 * SentencePiece model file), the
 * sentence-transformers files (they decide pooling, normalization, the length limit and the
 * prompts), and the weights in the best format present: {@code model.safetensors}, sharded
 * safetensors, {@code onnx/model.onnx}, or one GGUF file. Nothing else is fetched.
 */
final class FileSelection {
    private FileSelection() {}

    /** Files fetched whenever the repository has them. */
    static final List<String> SMALL = List.of("config.json", "tokenizer.json", "tokenizer_config.json",
            "special_tokens_map.json", "modules.json", "sentence_bert_config.json", "config_sentence_transformers.json");

    /** sentence-transformers module folders ({@code 1_Pooling}, {@code 2_Dense}): their config and weights. */
    private static final Pattern MODULE_FILE = Pattern.compile("\\d+_[^/]+/(config\\.json|model\\.safetensors)");

    /** GGUF types taken, in this order, when a name gives no tag: the most exact that is small enough first. */
    static final List<String> GGUF_ORDER = List.of("Q8_0", "Q4_K_M", "F16", "BF16", "F32");

    // gguf-split's part names: NAME-00001-of-00003.gguf.
    private static final Pattern SPLIT = Pattern.compile("(.*)-(\\d{5})-of-(\\d{5})\\.gguf");

    /** The index file of sharded safetensors, when the repository has one and no single file. */
    static final String INDEX = "model.safetensors.index.json";

    /**
     * The files of {@code files} (the repository's, as {@code rfilename}s) that the model needs; the
     * shards of sharded safetensors are added by the caller once it has read the index.
     *
     * @throws HubException when it has no weights tongyeok reads, naming what it has
     */
    static List<String> select(HubId id, List<String> files) {
        Set<String> all = new LinkedHashSet<>(files);
        List<String> ggufs = files.stream().filter(f -> f.toLowerCase().endsWith(".gguf")).sorted().toList();
        if (id.tag() != null || !hasTensors(all) && !ggufs.isEmpty()) {
            return gguf(id, ggufs);
        }
        List<String> out = new ArrayList<>();
        for (String f : SMALL) {
            if (all.contains(f)) {
                out.add(f);
            }
        }
        if (!all.contains("tokenizer.json")) {
            // The tokenizer as a SentencePiece model file, when the repository has no tokenizer.json.
            SentencePieceModel.FILE_NAMES.stream().filter(all::contains).findFirst().ifPresent(out::add);
        }
        for (String f : files) {
            if (MODULE_FILE.matcher(f).matches()) {
                out.add(f);
            }
        }
        if (all.contains("model.safetensors")) {
            out.add("model.safetensors");
        } else if (all.contains(INDEX)) {
            out.add(INDEX);
        } else if (all.contains("onnx/model.onnx")) {
            out.add("onnx/model.onnx");
        } else if (all.contains("model.onnx")) {
            out.add("model.onnx");
        } else if (all.contains("pytorch_model.bin") || all.stream().anyMatch(f -> f.startsWith("pytorch_model-"))) {
            throw new HubException(id.repo() + " holds its weights only as pytorch_model.bin (Python pickle), which "
                    + "tongyeok does not load; use a repository with model.safetensors, onnx/model.onnx or GGUF files");
        } else {
            throw new HubException(id.repo() + " has no weights tongyeok reads (model.safetensors, "
                    + "model.safetensors.index.json, onnx/model.onnx, *.gguf)");
        }
        return out;
    }

    private static boolean hasTensors(Set<String> all) {
        return all.contains("model.safetensors") || all.contains(INDEX) || all.contains("onnx/model.onnx")
                || all.contains("model.onnx");
    }

    /**
     * The GGUF file the tag (or, without one, {@link #GGUF_ORDER}) picks: one file, or every part of a
     * model gguf-split cut into parts, the first part first.
     */
    private static List<String> gguf(HubId id, List<String> ggufs) {
        if (ggufs.isEmpty()) {
            throw new HubException(id.repo() + " has no GGUF files" + (id.tag() != null ? " (asked for :" + id.tag()
                    + ")" : ""));
        }
        List<String> picked = new ArrayList<>();
        if (id.tag() != null) {
            for (String f : ggufs) {
                if (id.tagMatches(f)) {
                    picked.add(f);
                }
            }
        } else if (ggufs.size() == 1) {
            picked.add(ggufs.get(0));
        } else {
            for (String t : GGUF_ORDER) {
                HubId tagged = new HubId(id.repo(), id.revision(), t, id.forced());
                for (String f : ggufs) {
                    if (tagged.tagMatches(f)) {
                        picked.add(f);
                    }
                }
                if (!picked.isEmpty()) {
                    break;
                }
            }
        }
        if (picked.isEmpty()) {
            throw new HubException(id.repo() + ": no GGUF file " + (id.tag() != null ? "for tag " + id.tag()
                    : "of the types taken by default (" + String.join(", ", GGUF_ORDER) + ")") + "; it has "
                    + String.join(", ", ggufs) + " (name one with " + id.repo() + ":TAG)");
        }
        if (!picked.isEmpty() && picked.stream().allMatch(f -> SPLIT.matcher(f).matches())) {
            java.util.regex.Matcher first = SPLIT.matcher(picked.get(0));
            first.matches();
            List<String> parts = picked.stream().filter(f -> {
                java.util.regex.Matcher m = SPLIT.matcher(f);
                return m.matches() && m.group(1).equals(first.group(1)) && m.group(3).equals(first.group(3));
            }).sorted().toList();
            if (parts.size() == picked.size()) {
                if (parts.size() != Integer.parseInt(first.group(3))) {
                    throw new HubException(id.repo() + ": " + first.group(1) + " is split into " + first.group(3)
                            + " parts, of which " + parts.size() + " are there");
                }
                return parts;
            }
        }
        if (picked.size() > 1) {
            throw new HubException(id.repo() + ": tag " + (id.tag() != null ? id.tag() : "") + " matches "
                    + String.join(", ", picked) + "; give a tag that names one");
        }
        return List.of(picked.get(0));
    }
}
