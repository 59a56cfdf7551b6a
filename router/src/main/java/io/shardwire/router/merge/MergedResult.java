package io.shardwire.router.merge;

import java.util.List;

/**
 * The merged rows of a statement run on several data nodes, as one cursor; built by
 * {@link ResultMerger}. Values not computed by the merge are the bytes a node sent, unchanged.
 */
public interface MergedResult extends RowCursor {

    /** The columns of this cursor's rows: the client's columns once derived ones are dropped. */
    List<ResultColumn> columns();
}
