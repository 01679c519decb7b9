package io.meshlint.core.rules.egress;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.meshlint.core.rules.egress.ExternalHosts.Endpoint;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ExternalHostsTest {

  private static List<String> hosts(List<Endpoint> endpoints) {
    return endpoints.stream().map(e -> e.host() + ":" + e.port() + "/" + e.protocol()).toList();
  }

  @Test
  void urlsWithSchemeDefaultsUserinfoAndExplicitPorts() {
    assertEquals(List.of("api.example.com:443/HTTPS"), hosts(ExternalHosts.scan("https://api.example.com/v1?x=1")));
    assertEquals(List.of("api.example.com:8080/HTTP"), hosts(ExternalHosts.scan("http://API.Example.com.:8080")));
    assertEquals(List.of("bus.example.net:5671/TCP"), hosts(ExternalHosts.scan("amqps://user:pw@bus.example.net/vh")));
    assertEquals(List.of("ledger.example.io:50051/TCP"), hosts(ExternalHosts.scan("grpc://ledger.example.io:50051")));
    assertEquals(List.of("db.example.com:5432/TCP"),
        hosts(ExternalHosts.scan("jdbc:postgresql://db.example.com/app?ssl=true")));
    assertEquals(List.of("a.example.com:443/HTTPS", "b.example.com:80/HTTP"),
        hosts(ExternalHosts.scan("{\"a\": \"https://a.example.com\", \"b\": \"http://b.example.com/\"}")));
  }

  @Test
  void urlsThatNameNoHost() {
    assertEquals(List.of(), hosts(ExternalHosts.scan("file:///etc/config")));
    assertEquals(List.of(), hosts(ExternalHosts.scan("http://$(POD_IP):8080")));
    assertEquals(List.of(), hosts(ExternalHosts.scan("http://10.0.0.1:8080")));
    assertEquals(List.of(), hosts(ExternalHosts.scan("custom://thing.example.com")), "unknown scheme, no port");
  }

  @Test
  void hostPortPairs() {
    assertEquals(List.of("kafka-0.example.com:9092/TCP", "kafka-1.example.com:9092/TCP"),
        hosts(ExternalHosts.scan("kafka-0.example.com:9092,kafka-1.example.com:9092")));
    assertEquals(List.of("smtp.example.com:443/HTTPS"), hosts(ExternalHosts.scan("--relay=smtp.example.com:443")));
    assertEquals(List.of("redis:6379/TCP"), hosts(ExternalHosts.scan("redis:6379")), "local-ness is the rule's call");
    assertEquals(List.of(), hosts(ExternalHosts.scan("0.0.0.0:8080 12:30:00 port: 8080")));
  }

  @Test
  void applicationInsightsConnectionStrings() {
    List<Endpoint> regional = ExternalHosts.scan("InstrumentationKey=00000000-0000-0000-0000-000000000000;"
        + "IngestionEndpoint=https://westeurope-5.in.applicationinsights.azure.com/;"
        + "LiveEndpoint=https://westeurope.livediagnostics.monitor.azure.com/");
    assertEquals(List.of("westeurope-5.in.applicationinsights.azure.com:443/HTTPS",
        "westeurope.livediagnostics.monitor.azure.com:443/HTTPS"), hosts(regional));
    assertEquals("Application Insights ingestion", regional.get(0).what());
    assertEquals("Application Insights live metrics", regional.get(1).what());

    assertEquals(List.of("dc.services.visualstudio.com:443/HTTPS", "rt.services.visualstudio.com:443/HTTPS"),
        hosts(ExternalHosts.scan("InstrumentationKey=00000000-0000-0000-0000-000000000000")));
    assertEquals(List.of("dc.ai.contoso.com:443/HTTPS", "live.ai.contoso.com:443/HTTPS"),
        hosts(ExternalHosts.scan("InstrumentationKey=k;EndpointSuffix=ai.contoso.com")));
  }

  @Test
  void sdkSettingsFromEnvironmentNames() {
    assertEquals(List.of("dc.services.visualstudio.com:443/HTTPS", "rt.services.visualstudio.com:443/HTTPS"),
        hosts(ExternalHosts.fromEnv("APPINSIGHTS_INSTRUMENTATIONKEY", null, Set.of())));
    assertEquals(List.of("dc.services.visualstudio.com:443/HTTPS", "rt.services.visualstudio.com:443/HTTPS"),
        hosts(ExternalHosts.fromEnv("APPLICATIONINSIGHTS_CONNECTION_STRING", "0000-guid", Set.of())));
    assertEquals(List.of("api.datadoghq.eu:443/HTTPS", "trace.agent.datadoghq.eu:443/HTTPS",
        "http-intake.logs.datadoghq.eu:443/HTTPS"), hosts(ExternalHosts.fromEnv("DD_SITE", "datadoghq.eu", Set.of())));
    assertEquals(List.of(), hosts(ExternalHosts.fromEnv("DD_SITE", "datadoghq.eu", Set.of("DD_AGENT_HOST"))));
    List<Endpoint> sentry = ExternalHosts.fromEnv("SENTRY_DSN", "https://key@o1.ingest.sentry.io/42", Set.of());
    assertEquals(List.of("o1.ingest.sentry.io:443/HTTPS"), hosts(sentry));
    assertEquals("Sentry DSN", sentry.get(0).what());
    assertEquals(List.of("collector.newrelic.com:443/HTTPS"),
        hosts(ExternalHosts.fromEnv("NEW_RELIC_LICENSE_KEY", null, Set.of())));
    assertEquals(List.of("collector.eu01.nr-data.net:443/HTTPS"),
        hosts(ExternalHosts.fromEnv("NEW_RELIC_LICENSE_KEY", "eu01xx0000", Set.of())));
    assertEquals(List.of("api.example.com:443/HTTPS"),
        hosts(ExternalHosts.fromEnv("API_URL", "https://api.example.com", Set.of())));
  }

  @Test
  void suggestedServiceEntry() {
    assertEquals("""
        apiVersion: networking.istio.io/v1
        kind: ServiceEntry
        metadata:
          name: bus-example-net
          namespace: shop
        spec:
          hosts:
          - bus.example.net
          ports:
          - number: 5671
            name: tcp-5671
            protocol: TCP
          resolution: DNS
          location: MESH_EXTERNAL
        """, ExternalHostWithoutServiceEntry.serviceEntry("bus.example.net", 5671, "TCP", "shop"));
  }
}
