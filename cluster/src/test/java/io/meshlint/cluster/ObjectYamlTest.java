package io.meshlint.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;

class ObjectYamlTest {
  @Test
  void laysOutTheObjectAsKubectlGetDoes() {
    GenericKubernetesResource vs = Serialization.unmarshal("""
        kind: VirtualService
        apiVersion: networking.istio.io/v1
        metadata:
          name: vs
          namespace: dev
          managedFields: [{manager: kubectl, operation: Apply}]
          annotations: {note: "line one\\nline two\\n"}
        spec:
          http:
          - route:
            - destination: {host: a, port: {number: 80}}
          hosts: [a.example.com]
        status: {observedGeneration: 3}
        """, GenericKubernetesResource.class);
    String yaml = ObjectYaml.of(vs);
    assertEquals("""
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata:
          annotations:
            note: |
              line one
              line two
          name: vs
          namespace: dev
        spec:
          hosts:
          - a.example.com
          http:
          - route:
            - destination:
                host: a
                port:
                  number: 80
        status:
          observedGeneration: 3
        """, yaml);
  }

  @Test
  void secretsKeepOnlyPublicCertificates() {
    GenericKubernetesResource secret = Serialization.unmarshal("""
        apiVersion: v1
        kind: Secret
        metadata:
          name: tls
          namespace: istio-system
          annotations: {kubectl.kubernetes.io/last-applied-configuration: '{"data":{"tls.key":"U0VDUkVU"}}'}
        type: kubernetes.io/tls
        data: {tls.crt: Q0VSVA==, tls.key: U0VDUkVU}
        stringData: {password: hunter2}
        """, GenericKubernetesResource.class);
    ObjectYaml.redactSecret(secret);
    String yaml = ObjectYaml.of(secret);
    assertTrue(yaml.contains("tls.crt: Q0VSVA=="), yaml);
    assertTrue(yaml.contains("tls.key: "), yaml);
    assertFalse(yaml.contains("U0VDUkVU") || yaml.contains("hunter2") || yaml.contains("last-applied"), yaml);
  }
}
