package org.alcor.agent.flow;

import org.alcor.agent.openflow.Flow;
import org.alcor.agent.openflow.OfConnection;
import org.alcor.agent.openflow.OfException;
import org.alcor.agent.openflow.OfMessages;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Sends a {@link FlowDelta} as OpenFlow bundles: open, add every flow_mod, commit (atomic and ordered), then a
 * barrier, and only returns when the switch has confirmed. Large deltas go in chunks of {@link #chunkSize}
 * flow_mods because one huge bundle stalls vswitchd's main loop for seconds (lab/ovs.md: 8.3 s for 1M flows);
 * only each chunk is atomic then, which is fine for the initial programming of an empty bridge.
 */
public final class FlowProgrammer {
    private final int chunkSize;
    private final long timeoutMillis;
    private int bundleIds = 1;

    public FlowProgrammer(int chunkSize, long timeoutMillis) {
        this.chunkSize = chunkSize;
        this.timeoutMillis = timeoutMillis;
    }

    public void apply(OfConnection of, FlowDelta delta) {
        if (delta.isEmpty()) return;
        List<byte[]> mods = new ArrayList<>(delta.size());
        // deletes first: a flow whose content changed gets its new version from the add that follows
        for (long c : delta.deletes()) mods.add(OfMessages.flowDeleteByCookie(0, c));
        for (Flow f : delta.adds()) mods.add(OfMessages.flowAdd(0, f));
        for (int from = 0; from < mods.size(); from += chunkSize) {
            commitBundle(of, mods.subList(from, Math.min(mods.size(), from + chunkSize)));
        }
        await(of.barrier(), "barrier");
    }

    private void commitBundle(OfConnection of, List<byte[]> mods) {
        int id = bundleIds++;
        int flags = OfMessages.BUNDLE_ATOMIC | OfMessages.BUNDLE_ORDERED;
        List<byte[]> out = new ArrayList<>(mods.size() + 2);
        int openXid = of.nextXid();
        CompletableFuture<byte[]> opened = of.expectReply(openXid);
        out.add(OfMessages.bundleControl(openXid, id, OfMessages.BUNDLE_OPEN, flags));
        for (byte[] m : mods) {
            int xid = of.nextXid();
            // patch the inner flow_mod's xid: OVS wants it equal to the bundle_add's
            byte[] inner = m.clone();
            inner[4] = (byte) (xid >>> 24); inner[5] = (byte) (xid >>> 16); inner[6] = (byte) (xid >>> 8); inner[7] = (byte) xid;
            out.add(OfMessages.bundleAdd(xid, id, flags, inner));
        }
        int commitXid = of.nextXid();
        CompletableFuture<byte[]> committed = of.expectReply(commitXid);
        out.add(OfMessages.bundleControl(commitXid, id, OfMessages.BUNDLE_COMMIT, flags));
        of.sendAll(out);
        await(opened, "bundle open");
        await(committed, "bundle commit");
        List<org.alcor.agent.openflow.OfError> rejected = of.takeErrors(openXid, commitXid);
        if (!rejected.isEmpty()) throw new OfException("bundle committed without " + rejected.size() + " rejected flow_mods, first: " + rejected.get(0));
    }

    private void await(CompletableFuture<byte[]> f, String what) {
        try {
            f.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new OfException(what + " failed: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new OfException(what + ": no answer from the switch within " + timeoutMillis + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OfException(what + " interrupted");
        }
    }
}
