package io.groot.streams.candidates;

import io.groot.schemas.CandidateSet;
import io.groot.schemas.Topics;
import io.groot.schemas.serde.GrootSerdes;
import io.groot.streams.LoopConfig;
import io.groot.streams.accounting.Accounting;
import io.groot.streams.common.DeadLetters;
import io.groot.streams.serving.ServingModel;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.Stores;

/**
 * texts -> serving model (batched top-k beam search) -> candidates, stamped with the model version.
 * Texts are read as raw bytes so that malformed ones reach the dead-letter topic untouched.
 */
public final class CandidateGenerationTopology {
    private CandidateGenerationTopology() {
    }

    public static KStream<String, CandidateSet> build(StreamsBuilder builder, Topics topics, GrootSerdes serdes,
                                                      ServingModel serving, LoopConfig config) {
        builder.addStateStore(Accounting.storeBuilder(Accounting.TEXTS_STORE));
        // At most one batch of texts per task waits here, so memory (restored from the changelog) beats RocksDB.
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(
                CandidateGenerator.BUFFER_STORE), Serdes.String(), serdes.pendingRecords()));
        KStream<String, byte[]> texts = builder.stream(topics.texts(),
                Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("texts"));
        KStream<String, CandidateSet> candidates = DeadLetters.split(
                texts.process(() -> new CandidateGenerator(serdes.texts(), serving, config.modelName(),
                        config.beamWidth(), config.maxTokens(), config.inferenceBatch(), config.inferenceWait(),
                        config.inferencePipeline()),
                        Named.as("generate-candidates"), Accounting.TEXTS_STORE, CandidateGenerator.BUFFER_STORE),
                "texts", topics.deadLetters(), Produced.with(Serdes.String(), serdes.deadLetters()));
        candidates.to(topics.candidates(), Produced.with(Serdes.String(), serdes.candidates()).withName("candidates"));
        return candidates;
    }
}
