package io.meshlint.core.rules;

import io.meshlint.core.rule.Rule;
import io.meshlint.core.rule.RuleInfo;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** The one place where built-in rules are registered. */
public final class BuiltinRules {
  private BuiltinRules() {}

  public static List<Rule> all() {
    return List.of(
        new ReferencedResourceNotFound(),
        new UnboundGatewayHost(),
        new VirtualServiceHostNotFoundInGateway(),
        new ConflictingGateways(),
        new NamespaceNotInjected(),
        new PodMissingProxy(),
        new NamespaceMultipleInjectionLabels(),
        new ExternalHostWithoutServiceEntry(),
        new SchemaValidationError(),
        new MisplacedAnnotation(),
        new UnknownAnnotation(),
        new InvalidAnnotation(),
        new DeprecatedAnnotation(),
        new AlphaAnnotation(),
        new Deprecated(),
        new SchemaWarning(),
        new ConflictingSidecarWorkloadSelectors(),
        new MultipleSidecarsWithoutWorkloadSelectors(),
        new ConflictingTelemetryWorkloadSelectors(),
        new MultipleTelemetriesWithoutWorkloadSelectors(),
        new InvalidTelemetryProvider(),
        new GatewayDuplicateCertificate(),
        new InvalidGatewayCredential(),
        new EnvoyFilterUsesRelativeOperation(),
        new EnvoyFilterUsesReplaceOperationIncorrectly(),
        new EnvoyFilterUsesAddOperationIncorrectly(),
        new EnvoyFilterUsesRemoveOperationIncorrectly(),
        new EnvoyFilterUsesRelativeOperationWithProxyVersion(),
        new InvalidApplicationUID(),
        new JwtClaimBasedRoutingWithoutRequestAuthN(),
        new ConflictingMeshGatewayVirtualServiceHosts(),
        new VirtualServiceDestinationPortSelectorRequired(),
        new DeploymentAssociatedToMultipleServices(),
        new DeploymentConflictingPorts(),
        new PortNameIsNotUnderNamingConvention(),
        new ExternalNameServiceTypeInvalidPortName(),
        new NoServerCertificateVerificationDestinationLevel(),
        new NoServerCertificateVerificationPortLevel(),
        new VirtualServiceUnreachableRule(),
        new VirtualServiceIneffectiveMatch(),
        new ServiceEntryAddressesRequired(),
        new GatewayPortNotDefinedOnService(),
        new NoMatchingWorkloadsFound(),
        new IngressRouteRulesNotAffected(),
        new UnknownMeshNetworksServiceRegistry(),
        new UnsupportedGatewayAPIVersion(),
        new GatewayAPICRDVersionBelowMinimum(),
        new ConflictingServiceEntryProtocol(),
        new DestinationRuleSubsetNotSelectPods(),
        new UnknownDestinationRuleHost(),
        new NegativeConditionStatus(),
        new JwksUriFetchUnrestricted(),
        new InvalidExternalControlPlaneConfig(),
        new ExternalControlPlaneAddressIsNotAHostname(),
        new DuplicateDestinationRules(),
        new ConflictingGatewayVirtualServiceHosts(),
        new DuplicateRouteDestination(),
        new DestinationPortNotFound(),
        new RouteProtocolMismatch(),
        new RetriesNeverAttempted(),
        new FaultWithoutPercentage(),
        new FaultInjectionOnAllTraffic(),
        new DelayWithoutDuration(),
        new MirrorToRouteDestination(),
        new MirrorWithoutPercentage(),
        new TlsOriginationMismatch(),
        new DoubleTlsOrigination(),
        new StrictMtlsDisabledByDestinationRule(),
        new IstioMutualWithoutSidecar(),
        new PortLevelMtlsOnUnexposedPort(),
        new AuthorizationPolicyUnknownNamespace(),
        new AuthorizationPolicyUnknownPrincipal(),
        new HttpConditionsOnTcpPort(),
        new MtlsOnlySourceWithoutMtls(),
        new AllowPolicyRuleCoverage(),
        new HttpsRedirectWithoutHttpsServer(),
        new PassthroughServerWithHttpRoutes(),
        new ServiceTargetPortNotExposed(),
        new ContainerPortReservedBySidecar(),
        new ExportToNamespaceNotFound(),
        new AuthorizationPolicyInvalidMethod(),
        new AuthorizationPolicyHostNotFound(),
        new DestinationRuleSubsetWithoutLabels(),
        new DestinationRuleMtlsOverridden(),
        new WideMtlsAgainstDisabledPeerAuthentication(),
        new WidePlaintextAgainstStrictPeerAuthentication(),
        new StrictPeerAuthenticationWithoutMtlsDestinationRule(),
        new SidecarEgressHostNotFound(),
        new RootNamespaceSidecarWithSelector(),
        new SingleDestinationWeight(),
        new ServiceEntryMissingWorkloadEntryAddress(),
        new GatewayApiParentNotFound(),
        new GatewayApiRouteNotAdmitted(),
        new GatewayApiBackendNotFound(),
        new GatewayApiReferenceNotGranted(),
        new ImageAutoWithoutInjectionWarning(),
        new ImageAutoWithoutInjectionError(),
        new InvalidWebhook(),
        new NamespaceInjectionEnabledByDefault(),
        new PodsIstioProxyImageMismatchInNamespace(),
        new ReferencedInternalGateway(),
        new IneffectiveSelector(),
        new IneffectivePolicy());
  }

  /** Every rule's metadata, the input checks included, ordered by code. */
  public static List<RuleInfo> catalogue() {
    List<RuleInfo> out = new ArrayList<>(InputRules.ALL);
    all().forEach(rule -> out.add(rule.info()));
    out.sort(Comparator.comparing(RuleInfo::code));
    return out;
  }
}
