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
	// Key is the key's ARN as written: ${Name} of a parameter or a pseudo
	// parameter may stand anywhere in it (compile writes a Ref or Fn::Sub).
	Key string
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

// encryptionKey reads the key: its ARN, with ${Name} of a parameter or a
// pseudo parameter anywhere (checked as the other ARN fields are,
// deploytext.go).
func (p *parser) encryptionKey(e *Encryption, v *yaml.Node, at string) {
	s, ok := p.str(v, at)
	if !ok {
		return
	}
	e.Key = s
	what := "a KMS key ARN such as arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
	if strings.Contains(s, ":alias/") {
		what += " (IAM authorizes a key's use on the key's ARN, not an alias's, so give the key's)"
	}
	p.deployed(v, at, s, kmsKeyArnRe().MatchString, what)
}

// resolveEncryption warns where the spec gives the role: sfnapic grants
// the key only to a role it makes.
func (p *parser) resolveEncryption(s *Spec) {
	for _, m := range s.StateMachines {
		if m.Encryption != nil && m.RoleARN != "" {
			p.errs.Warn(m.Encryption.Pos, "stateMachines."+m.Name+".encryption", "the role given as roleArn needs kms:Decrypt and kms:GenerateDataKey on the key (sfnapic grants them only to a role it creates), conditioned on kms:EncryptionContext:aws:states:stateMachineArn")
		}
	}
}
