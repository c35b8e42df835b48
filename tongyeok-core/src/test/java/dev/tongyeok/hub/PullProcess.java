package dev.tongyeok.hub;

import java.nio.file.Path;

/**
 * A second process for {@link HubDownloadTest}: pulls {@code args[2]} from endpoint {@code args[0]}
 * into the cache {@code args[1]} and prints the snapshot's path.
 */
public final class PullProcess {
    private PullProcess() {}

    public static void main(String[] args) throws Exception {
        HubClient c = new HubClient(new HubCache(Path.of(args[1])), args[0], null, false, HubClient.Progress.NONE,
                System.err::println, 1);
        System.out.println(c.pull(HubId.parse(args[2]).orElseThrow()));
    }
}
