package org.alcor.controller.southbound;

import java.util.ArrayList;
import java.util.List;
import org.alcor.southbound.mq.MqLayout;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * What agents may do on the MQ path's brokers, for every principal the CA vouches for (the brokers take only its
 * certificates): read goal states and VPC feeds, write Hellos and acks, and nothing else; in particular not read
 * the agents topics, where stream ids (the proof that an ack is from the host that said Hello) travel. This
 * controller is a super user of the brokers and needs no entry. Kafka's ACLs are per topic, not per partition or
 * key: a host can read the goal states of the other hosts of its topic (docs/southbound-mq.md says what that means).
 */
final class MqAcls {
    private MqAcls() {}

    static List<AclBinding> agents() {
        List<AclBinding> out = new ArrayList<>();
        for (String prefix : List.of(MqLayout.HOST_TOPIC, MqLayout.VPC_TOPIC)) {
            allow(out, prefix, AclOperation.READ);
            allow(out, prefix, AclOperation.DESCRIBE);
        }
        allow(out, MqLayout.AGENTS_TOPIC, AclOperation.WRITE);
        allow(out, MqLayout.AGENTS_TOPIC, AclOperation.DESCRIBE);
        return out;
    }

    private static void allow(List<AclBinding> out, String topicPrefix, AclOperation op) {
        out.add(new AclBinding(new ResourcePattern(ResourceType.TOPIC, topicPrefix, PatternType.PREFIXED),
                new AccessControlEntry("User:*", "*", op, AclPermissionType.ALLOW)));
    }
}
