package dev.tongyeok.embed;

import java.util.ArrayList;
import java.util.List;

/**
 * How a list of tokenized inputs is cut into forward passes: in order, end to end, each batch at
 * most {@code budget} tokens (a longer single input forms a batch of its own).
 *
 * @param batches the batches, in input order
 * @param first where each batch's first input sits in the list
 */
record BatchPlan(List<List<EncodedInput>> batches, int[] first) {

    /**
     * The batches of {@code inputs}: at most {@code maxTokens} tokens each, and smaller when fewer
     * tokens than that would leave one of {@code cores} idle.
     */
    static BatchPlan of(List<EncodedInput> inputs, int maxTokens, int cores) {
        int total = 0;
        for (EncodedInput in : inputs) {
            total += in.encoding().length();
        }
        int budget = Math.max(1, Math.min(maxTokens, (total + cores - 1) / cores));
        List<List<EncodedInput>> batches = new ArrayList<>();
        List<EncodedInput> current = new ArrayList<>();
        int tokens = 0;
        for (EncodedInput in : inputs) {
            int n = in.encoding().length();
            if (!current.isEmpty() && tokens + n > budget) {
                batches.add(current);
                current = new ArrayList<>();
                tokens = 0;
            }
            current.add(in);
            tokens += n;
        }
        if (!current.isEmpty()) {
            batches.add(current);
        }
        int[] first = new int[batches.size()];
        for (int b = 1; b < batches.size(); b++) {
            first[b] = first[b - 1] + batches.get(b - 1).size();
        }
        return new BatchPlan(batches, first);
    }

    /** The number of batches. */
    int size() {
        return batches.size();
    }
}
