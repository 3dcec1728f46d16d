package org.alcor.controller.core;

import org.alcor.controller.store.Column;

/** Rows of one table whose indexed column equals value; column null: every row (the primary key's range). */
record IndexRange(Column column, Object value) {
    static final IndexRange WHOLE_TABLE = new IndexRange(null, null);
}
