package io.meshlint.core.rule;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The rule reports each subject at most once, naming the other resources that share the thing it
 * checks (see {@code rules.common.Others}), and reports it whenever there is any such other: a
 * change elsewhere alters whom the finding names, never whether a subject that has it keeps it
 * unless the change removes the sharing. The webhook therefore matches these findings on resources
 * other than the changed ones by rule and resource alone, and does not check again the resources
 * that already have one: with a hundred Gateways sharing a certificate, a new Gateway costs one
 * check, not a hundred.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface OncePerSubject {}
