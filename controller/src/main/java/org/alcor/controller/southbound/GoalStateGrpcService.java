package org.alcor.controller.southbound;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import org.alcor.controller.dataplane.DataplaneEngine;
import org.alcor.controller.pki.HostIds;
import org.alcor.proto.AgentMessage;
import org.alcor.proto.ControllerMessage;
import org.alcor.proto.GoalState;
import org.alcor.proto.GoalStateServiceGrpc;
import org.alcor.proto.NeighborQuery;
import org.alcor.proto.NeighborReply;
import org.alcor.proto.PullRequest;

/**
 * The agents' side of the contract over gRPC. Runs on gRPC's transport threads (direct executor, measured 3-4x
 * faster on hot streams); the stream protocol itself is {@link AgentStreams}'s, shared with the MQ path.
 */
final class GoalStateGrpcService extends GoalStateServiceGrpc.GoalStateServiceImplBase {
    private static final Logger LOG = Logger.getLogger(GoalStateGrpcService.class.getName());

    private final AgentStreams streams;
    private final DataplaneEngine engine;

    GoalStateGrpcService(AgentStreams streams) {
        this.streams = streams;
        this.engine = streams.engine();
    }

    @Override
    public StreamObserver<AgentMessage> connect(StreamObserver<ControllerMessage> plainResponses) {
        var responses = (ServerCallStreamObserver<ControllerMessage>) plainResponses;
        AgentStreams.Stream stream = streams.open(new GrpcDownlink(responses), HostIdentity.current());
        // Flow control: the engine writes only while the stream is ready and is told when it is again.
        responses.setOnReadyHandler(stream::onReady);
        return new StreamObserver<>() {
            @Override public void onNext(AgentMessage message) { stream.onMessage(message); }

            @Override public void onError(Throwable t) { stream.closed(); }

            @Override public void onCompleted() { stream.completed(); }
        };
    }

    /** The rescue path: the host's whole goal state, computed now (the engine thread builds it, this one sends it). */
    @Override
    public void pullGoalState(PullRequest request, StreamObserver<GoalState> responses) {
        String identity = HostIdentity.current();
        String host = request.getHostId().isEmpty() ? identity : request.getHostId();
        if (host == null || !HostIds.valid(host)) {
            responses.onError(Status.INVALID_ARGUMENT.withDescription("PullGoalState needs a valid host_id").asRuntimeException());
            return;
        }
        if (identity != null && !identity.equals(host)) {
            LOG.warning(() -> "southbound: refused a pull as host " + host + " from the certificate of host " + identity);
            responses.onError(Status.PERMISSION_DENIED.withDescription("this certificate is host " + identity + "'s").asRuntimeException());
            return;
        }
        LOG.info(() -> "host " + host + " pulls its goal state (the rescue path: its stream has been failing)");
        engine.pull(host).orTimeout(30, TimeUnit.SECONDS).whenComplete((parts, error) -> {
            if (error != null) {
                responses.onError(Status.UNAVAILABLE.withDescription("the goal-state engine cannot answer now: " + error.getMessage()).asRuntimeException());
                return;
            }
            try {
                parts.forEach(responses::onNext);
                responses.onCompleted();
            } catch (RuntimeException cancelled) {
                // the agent gave up waiting
            }
        });
    }

    @Override
    public void lookupNeighbor(NeighborQuery query, StreamObserver<NeighborReply> responses) {
        String identity = HostIdentity.current();
        String host = query.getHostId().isEmpty() ? identity : query.getHostId();
        if (identity != null && !identity.equals(host)) {
            LOG.warning(() -> "southbound: refused a lookup as host " + query.getHostId() + " from the certificate of host " + identity);
            responses.onError(Status.PERMISSION_DENIED.withDescription("this certificate is host " + identity + "'s").asRuntimeException());
            return;
        }
        var found = engine.lookup(query.getVpcId(), query.getIp());
        if (found == null) {
            responses.onError(Status.UNAVAILABLE.withDescription("the goal-state engine is reloading").asRuntimeException());
            return;
        }
        // A host learns the neighbours of the VPCs it has ports in, not of other projects' VPCs.
        if (host != null && !engine.hostServes(host, query.getVpcId())) {
            LOG.warning(() -> "southbound: refused host " + host + " a lookup in VPC " + query.getVpcId() + ", where it has no port");
            responses.onError(Status.PERMISSION_DENIED.withDescription("host " + host + " has no port in VPC " + query.getVpcId())
                    .asRuntimeException());
            return;
        }
        var reply = NeighborReply.newBuilder().setFound(found.isPresent());
        found.ifPresent(reply::setNeighbor);
        responses.onNext(reply.build());
        responses.onCompleted();
    }
}
