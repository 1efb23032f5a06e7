package io.groot.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/** An embedding table over integer ids (DJL's Embedding blocks map items, not ids). */
public final class IdEmbedding extends AbstractBlock {
    private final long size;
    private final long dimension;
    private final Parameter weight;

    public IdEmbedding(long size, long dimension) {
        this.size = size;
        this.dimension = dimension;
        this.weight = addParameter(Parameter.builder().setName("weight").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(size, dimension)).build());
    }

    /** The whole table, for decoders that score every id at once. */
    public NDArray table(ParameterStore parameterStore, NDArray onDeviceOf, boolean training) {
        return parameterStore.getValue(weight, onDeviceOf.getDevice(), training);
    }

    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray ids = inputs.singletonOrThrow();
        return Embedding.embedding(ids, table(parameterStore, ids, training), SparseFormat.DENSE);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[]{inputShapes[0].add(dimension)};
    }

    public long size() {
        return size;
    }
}
