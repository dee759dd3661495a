package spec

import (
	"regexp"
	"strings"
	"sync"

	"gopkg.in/yaml.v3"
)

// Encryption is a machine's customer managed KMS key, which encrypts its
// definition and execution history ("Data at rest encryption in Step
// Functions").
type Encryption struct {
	Pos Pos
	// Key is the key's ARN as written, or ${P}: then Param is P.
	Key   string
	Param *Parameter
	// ReuseSeconds is how long Step Functions reuses a data key, 60 to
	// 900; 0 leaves AWS's default (300).
	ReuseSeconds int
}

// Step Functions reuses a data key for 60 to 900 seconds
// (EncryptionConfiguration, Step Functions API reference).
const (
	MinKeyReuse = 60
	MaxKeyReuse = 900
)

// kmsKeyArnRe matches a KMS key's ARN. IAM authorizes the use of a key on
// the key's ARN, never on an alias's, so the statements sfnapic derives
// need the key's.
var kmsKeyArnRe = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[A-Za-z0-9-]{1,128}$`)
})

// encryption reads a machine's encryption; the ${P} of its key is resolved
// once the parameters are known (resolveEncryption).
func (p *parser) encryption(n *yaml.Node, at string) *Encryption {
	e := &Encryption{Pos: p.pos(resolve(n))}
	p.mapping(n, at, EncryptionFields.Keys(), EncryptionFields.RequiredKeys(), func(key string, k, v *yaml.Node) {
		switch key {
		case "key":
			p.encryptionKey(e, v, at+".key")
		case "reuse":
			secs, ok := p.duration(v, at+".reuse", "reuse", MaxKeyReuse, "900s (15m)")
			if ok && secs < MinKeyReuse {
				p.errs.Add(p.pos(resolve(v)), at+".reuse", "Step Functions reuses a data key for 60s (1m) to 900s (15m): %s is too short", resolve(v).Value)
				return
			}
			e.ReuseSeconds = secs
		}
	})
	return e
}

func (p *parser) encryptionKey(e *Encryption, v *yaml.Node, at string) {
	s, ok := p.str(v, at)
	if !ok {
		return
	}
	e.Key = s
	if _, param := wholeRef(s); param {
		p.encryptionRefs = append(p.encryptionRefs, encryptionRef{e: e, pos: p.pos(resolve(v)), at: at})
		return
	}
	if !kmsKeyArnRe().MatchString(s) {
		hint := ""
		if strings.Contains(s, ":alias/") {
			hint = "; IAM authorizes a key's use on the key's ARN, not an alias's, so give the key's"
		}
		p.errs.Add(p.pos(resolve(v)), at, "%q is not a KMS key ARN such as arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab, nor a ${Parameter}%s", s, hint)
	}
}

// wholeRef returns Name when s is exactly one ${Name}.
func wholeRef(s string) (string, bool) {
	if !strings.HasPrefix(s, "${") || !strings.HasSuffix(s, "}") || strings.Count(s, "${") != 1 {
		return "", false
	}
	return s[2 : len(s)-1], true
}

// encryptionRef is a key given as ${P}, resolved once the parameters are.
type encryptionRef struct {
	e   *Encryption
	pos Pos
	at  string
}

// resolveEncryption resolves each key given as ${P} to its parameter.
func (p *parser) resolveEncryption(s *Spec) {
	for _, r := range p.encryptionRefs {
		name, _ := wholeRef(r.e.Key)
		par := s.Param(name)
		if par == nil || listType(par.Type) {
			p.errs.Add(r.pos, r.at, "${%s} names no String parameter of this spec%s; declare it under parameters, or give the key's ARN", name, suggest(name, s.ParamNames()))
			continue
		}
		par.Used = true
		r.e.Param = par
	}
	for _, m := range s.StateMachines {
		if m.Encryption != nil && m.RoleARN != "" {
			p.errs.Warn(m.Encryption.Pos, "stateMachines."+m.Name+".encryption", "the role given as roleArn needs kms:Decrypt and kms:GenerateDataKey on the key (sfnapic grants them only to a role it creates), conditioned on kms:EncryptionContext:aws:states:stateMachineArn")
		}
	}
}
