// Package vtl renders API Gateway mapping templates the way API Gateway
// does: a Velocity Template Language interpreter with API Gateway's
// $input, $util, $context and $stageVariables, Java String methods with
// java.util.regex semantics, and Apache Commons Lang escaping.
//
// It interprets the template text, so a wrong template shows up as a wrong
// rendering. Anything it does not support (a directive, a method, a regex
// construct) is an error, never a silent empty string. Where API Gateway's
// behaviour is undocumented, a Variant selects each candidate, so that a
// template can be checked under all of them.
//
// vtl is a library: its API (Parse, Render, RenderString, Request,
// Variant) is meant to be used outside sfnapic, and it imports nothing of
// sfnapic's.
//
// Sources for the semantics: the API Gateway mapping-template reference,
// the Apache Velocity engine (Parser.jjt, 1.7 and 2.0), Commons Lang
// StringEscapeUtils.escapeJavaScript, java.net.URLEncoder and
// java.util.regex.
package vtl
