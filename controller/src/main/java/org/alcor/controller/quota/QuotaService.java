package org.alcor.controller.quota;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.alcor.controller.core.AlcorException;
import org.alcor.controller.core.Caller;
import org.alcor.controller.core.WriteBatcher;
import org.alcor.controller.store.LockKey;
import org.alcor.controller.store.Store;
import org.alcor.controller.store.StoreTx;
import org.alcor.controller.store.StoredRow;
import org.alcor.controller.store.Table;

/**
 * Per-project quotas, enforced inside the transaction that creates the resources: {@link #reserve} reads and
 * locks the project's quota row, checks the limit and raises the counter, so a bulk create over quota fails
 * whole and two concurrent creates can never both take the last unit. Services that create or delete counted
 * resources call {@link #reserve} and {@link #release} with the transaction they write in, and declare
 * {@link #lock} to the write batcher so the shared row is locked in the global order.
 */
public final class QuotaService {
    private final Store store;
    private final WriteBatcher writes;

    public QuotaService(Store store, WriteBatcher writes) {
        this.store = store;
        this.writes = writes;
    }

    /** The row every counted write of the project locks; pass it to {@link WriteBatcher#submit}. */
    public static LockKey lock(String project) { return new LockKey(Table.QUOTAS, project); }

    /** Counts n new resources of the project, or fails with Neutron's 409 OverQuota when that exceeds the limit. */
    public void reserve(StoreTx tx, String project, String resource, int n) {
        QuotaRow row = read(tx, project);
        int limit = row.limit(resource), used = row.used(resource);
        if (n > 0 && limit != QuotaDefaults.UNLIMITED && used + n > limit) {
            throw AlcorException.conflict("OverQuota", "Quota exceeded for resources: ['" + resource + "'].");
        }
        tx.put(Table.QUOTAS, row.withUsed(resource, used + n).toRow());
    }

    /** Counts resources the system creates on its own (a project's default security group) without a limit check. */
    public void count(StoreTx tx, String project, String resource, int n) {
        QuotaRow row = read(tx, project);
        tx.put(Table.QUOTAS, row.withUsed(resource, row.used(resource) + n).toRow());
    }

    public void release(StoreTx tx, String project, String resource, int n) { count(tx, project, resource, -n); }

    /** The number of the project's resources of a kind, as committed (e.g. "does the project have ports"). */
    public int used(StoreTx tx, String project, String resource) { return read(tx, project).used(resource); }

    private static QuotaRow read(StoreTx tx, String project) {
        return tx.get(Table.QUOTAS, project).map(QuotaRow::fromRow).orElseGet(() -> QuotaRow.empty(project));
    }

    private QuotaRow committed(String project) {
        return store.get(Table.QUOTAS, project).map(QuotaRow::fromRow).orElseGet(() -> QuotaRow.empty(project));
    }

    // The API: Neutron's quotas extension.

    /** GET /v2.0/quotas/{project}: the project's limits; a project member may read its own. */
    public Map<String, Object> limits(Caller caller, String project) {
        requireReader(caller, project);
        return limitsOf(committed(project));
    }

    public Map<String, Object> details(Caller caller, String project) {
        requireReader(caller, project);
        QuotaRow row = committed(project);
        Map<String, Object> out = new LinkedHashMap<>();
        for (String resource : QuotaDefaults.all().keySet()) {
            out.put(resource, Map.of("limit", row.limit(resource), "used", row.used(resource), "reserved", 0));
        }
        return out;
    }

    public Map<String, Object> defaults(Caller caller, String project) {
        requireReader(caller, project);
        return new LinkedHashMap<>(QuotaDefaults.all());
    }

    /** GET /v2.0/quotas (admin): the projects whose limits differ from the defaults. */
    public List<Map<String, Object>> list(Caller caller) {
        requireAdmin(caller);
        List<Map<String, Object>> out = new ArrayList<>();
        for (StoredRow stored : store.scan(Table.QUOTAS)) {
            QuotaRow row = QuotaRow.fromRow(stored);
            if (row.limits().isEmpty()) continue;
            Map<String, Object> limits = limitsOf(row);
            limits.put("project_id", row.project());
            limits.put("tenant_id", row.project());
            out.add(limits);
        }
        return out;
    }

    /** The projects with a quota row: every project that has created something or been given limits. */
    public List<String> knownProjects() { return store.scan(Table.QUOTAS).stream().map(StoredRow::id).sorted().toList(); }

    /** PUT /v2.0/quotas/{project} (admin): new limits, each an integer >= -1. */
    public Map<String, Object> update(Caller caller, String project, Map<String, Integer> changes) {
        requireAdmin(caller);
        QuotaRow updated = writes.submit("quota/" + project, 1, List.of(lock(project)), tx -> {
            QuotaRow row = read(tx, project).withLimits(changes);
            tx.put(Table.QUOTAS, row.toRow());
            return row;
        });
        return limitsOf(updated);
    }

    /** DELETE /v2.0/quotas/{project} (admin): back to the defaults; usage is kept. */
    public void reset(Caller caller, String project) {
        requireAdmin(caller);
        writes.submit("quota/" + project, 1, List.of(lock(project)), tx -> {
            QuotaRow row = read(tx, project);
            tx.put(Table.QUOTAS, new QuotaRow(project, Map.of(), row.used()).toRow());
            return null;
        });
    }

    private static Map<String, Object> limitsOf(QuotaRow row) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String resource : QuotaDefaults.all().keySet()) out.put(resource, row.limit(resource));
        return out;
    }

    private static void requireReader(Caller caller, String project) {
        if (!caller.canSee(project)) {
            throw AlcorException.forbidden("Non-admin is not authorized to access quotas for another project");
        }
    }

    private static void requireAdmin(Caller caller) {
        if (!caller.admin()) throw AlcorException.forbidden("User does not have admin privileges: Cannot update or list quotas.");
    }
}
