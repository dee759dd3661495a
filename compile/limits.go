package compile

import (
	"github.com/sfnapic/sfnapic/cfn"
	"github.com/sfnapic/sfnapic/spec"
)

// Limits checks a compiled template and its serialized bytes against the
// CloudFormation limits. It is a diagnostic, separate from Compile, so that
// the compiler itself runs (and can be measured) on any size of spec.
func Limits(s *spec.Spec, t *cfn.Template, out []byte) spec.ErrorList {
	var errs spec.ErrorList
	pos := s.RoutesPos
	if pos.File == "" {
		pos.File = s.File
	}
	if n := len(t.CFN.Resources); n > cfn.MaxResources {
		errs.Add(pos, "routes", "the template has %d resources; CloudFormation allows at most %d per stack: split the routes over several specs", n, cfn.MaxResources)
	}
	switch n := len(out); {
	case n > cfn.MaxURLBytes:
		errs.Add(pos, "routes", "the template is %d bytes; CloudFormation accepts at most %d: split the routes over several specs", n, cfn.MaxURLBytes)
	case n > cfn.MaxBodyBytes:
		errs.Warn(pos, "routes", "the template is %d bytes, over the %d-byte limit for a template sent inline: deploy it with --s3-bucket", n, cfn.MaxBodyBytes)
	}
	return errs
}

// Build compiles a parsed spec and serializes it as "json" or "yaml",
// returning the bytes with the limit diagnostics. It is what `sfnapic build`
// does after parsing, shared by the CLI, the golden tests and the
// benchmarks.
func Build(s *spec.Spec, format string) ([]byte, spec.ErrorList, error) {
	t := Compile(s)
	var out []byte
	var err error
	if format == "yaml" {
		out, err = t.YAML()
	} else {
		out, err = t.JSON()
		out = escapeUnprintable(out)
	}
	if err != nil {
		return nil, nil, err
	}
	return out, append(Limits(s, t, out), DeriveWarnings(s)...), nil
}
