package io.meshlint.core.rule;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** A rule's metadata, declared on its class; the rule reference and docs are generated from it. */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface RuleMeta {
  /** {@code IST0101} for Istio's messages, {@code MSH} and four digits for meshlint's own. */
  String code();

  /** Istio's message name for IST codes, e.g. {@code ReferencedResourceNotFound}. */
  String name();

  Severity severity();

  /** One line: what the rule finds. */
  String summary();

  /** What breaks at run time and how to fix it (Markdown). */
  String description();

  /** Kinds the rule reports on ({@code Kinds.ANY} for every kind); it is run once for each resource of these kinds. */
  String[] subjects();

  /** Other kinds the rule looks up through the mesh index. */
  String[] reads() default {};

  boolean enabledByDefault() default true;

  /** Other tools' codes for the same check, e.g. Kiali's {@code KIA0209}, so users can map one to the other. */
  String[] aliases() default {};
}
