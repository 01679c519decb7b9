package io.meshlint.core.rules;

import io.meshlint.core.rule.RuleInfo;
import io.meshlint.core.rule.Severity;
import io.meshlint.core.source.Loader;
import java.util.List;
import java.util.Set;

/** Problems of the input itself, found while loading, before any rule runs. */
public final class InputRules {
  private InputRules() {}

  public static final RuleInfo YAML_SYNTAX = new RuleInfo(Loader.CODE_SYNTAX, "YamlSyntaxError", Severity.ERROR,
      "A file is not valid YAML or JSON, or a mapping repeats a key.",
      """
      The API server rejects the whole file, and kubectl stops at the first broken document. \
      meshlint reports the position the parser stopped at and goes on with the next document \
      (after the next `---`) and the other files. A repeated key is rejected by `kubectl apply` \
      with strict field validation; without it, the last value silently wins. A `.json` file \
      that does not parse and never names an `apiVersion` (JSON with comments, as editors keep) \
      is skipped instead: it is no manifest.

      Fix the syntax at the reported line; the most common causes are tabs used for indentation, \
      a missing space after `:` and an unclosed quote.""",
      List.of(), Set.of(), true);

  public static final RuleInfo NOT_AN_OBJECT = new RuleInfo(Loader.CODE_NOT_AN_OBJECT, "NotAKubernetesObject",
      Severity.ERROR, "A document meant as a Kubernetes object is not one: it lacks apiVersion or kind, or is not a mapping.",
      """
      `kubectl apply` refuses documents without `apiVersion` and `kind`. A document that has one of       them but not the other, or that sits in a file of Kubernetes objects without being one, was       meant as an object: often the keys are indented under another key by mistake, or a values       fragment was pasted in.

      Files that hold no Kubernetes manifest at all are not findings: a file none of whose       documents has `apiVersion` or `kind` (CI workflows, Helm values, `.meshlint.yaml`),       tools' own configuration files (kustomize's `Kustomization`, istioctl's `IstioOperator`, \
      kind's, kubeadm's and k3d's cluster configurations) and a Helm chart's `Chart.yaml`       and `templates/` (lint the output of `helm template` instead) and an Ansible role's `templates/` are skipped, counted in the       summary and listed with `--verbose`.

      Add `apiVersion` and `kind`, or move the document out of the file.""",
      List.of(), Set.of(), true);

  public static final RuleInfo LIMIT = new RuleInfo(Loader.CODE_LIMIT, "InputLimitExceeded", Severity.ERROR,
      "A document is too large, nests too deep, or expands aliases past the limits.",
      """
      meshlint reads untrusted input (pull requests, admission requests) and bounds what one \
      document may cost: at most 3 MiB of text (the API server stores objects of at most 1.5 MiB), \
      100 levels of nesting, and 10,000 nodes reached through YAML aliases (a "billion laughs" \
      document expands a few lines into billions of nodes). Such a document is skipped; the rest \
      of the file is still read.

      Split the document, or replace alias chains by plain values.""",
      List.of(), Set.of(), true);

  public static final List<RuleInfo> ALL = List.of(YAML_SYNTAX, NOT_AN_OBJECT, LIMIT);
}
