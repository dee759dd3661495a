package cmd

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	sfntypes "github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"
	"github.com/awslabs/goformation/v7/cloudformation/stepfunctions"

	"github.com/sfnapic/sfnapic/cfn"
	"github.com/sfnapic/sfnapic/gateway"
)

// This file is serve --create: it makes the template's state machines at
// an emulator, with their versions and aliases, in the order their
// definitions need, and deletes them on exit, in the order Step Functions
// allows.

// made is one thing serve --create made at the emulator: what it is, its
// ARN, and the AWS CLI command that deletes it by hand.
type made struct {
	kind, arn, delete string
}

// creator makes the template's machines at an emulator, and remembers
// what it made.
type creator struct {
	a      *app
	client *sfn.Client
	g      *gateway.Gateway
	vars   map[string]string // the real ARNs, as the machines are made
	where  string            // the emulator's URL
	made   []made
}

// create creates the template's state machines at the emulator, and
// deletes them on cleanup (at once when creating one failed).
func (be *backend) create(ctx context.Context, a *app, client *sfn.Client, g *gateway.Gateway, where string) error {
	c := &creator{a: a, client: client, g: g, vars: be.vars, where: where}
	err := c.createMachines(ctx)
	be.cleanup = c.deleteMade
	if err != nil {
		// What could not be deleted is said at once, with the command that
		// deletes it: the error about creating may be rewritten on its way
		// out (explainAWS), and must not take these lines with it.
		if left := be.cleanup(context.Background()); left != nil {
			fmt.Fprintf(a.stderr, "sfnapic: %v\n", left)
		}
		return err
	}
	machines, aliases := 0, 0
	for _, m := range c.made {
		switch m.kind {
		case "state machine":
			machines++
		case "alias":
			aliases++
		}
	}
	be.about = fmt.Sprintf("Step Functions at %s, with %d state machine%s created from the template", where, machines, plural(machines))
	if aliases > 0 {
		be.about += fmt.Sprintf(" and %d alias%s", aliases, map[bool]string{true: "", false: "es"}[aliases == 1])
	}
	be.about += " (deleted on exit)"
	be.missing = "serve did not create it"
	return nil
}

// deleteMade deletes what was made, newest first: an alias before the
// version it routes to (Step Functions refuses to delete a version an
// alias names), versions before their machine, and a machine before the
// machines its definition names. It says on stderr what it deleted, and
// how to delete by hand what it could not.
func (c *creator) deleteMade(ctx context.Context) error {
	var errs []error
	for i := len(c.made) - 1; i >= 0; i-- {
		m := c.made[i]
		var err error
		switch m.kind {
		case "alias":
			_, err = c.client.DeleteStateMachineAlias(ctx, &sfn.DeleteStateMachineAliasInput{StateMachineAliasArn: aws.String(m.arn)})
		case "version":
			_, err = c.client.DeleteStateMachineVersion(ctx, &sfn.DeleteStateMachineVersionInput{StateMachineVersionArn: aws.String(m.arn)})
		default:
			_, err = c.client.DeleteStateMachine(ctx, &sfn.DeleteStateMachineInput{StateMachineArn: aws.String(m.arn)})
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("could not delete %s %s: %w (delete it with aws stepfunctions %s)", m.kind, m.arn, err, m.delete))
			continue
		}
		if m.kind == "state machine" {
			fmt.Fprintf(c.a.stderr, "deleted %s\n", m.arn)
		} else {
			fmt.Fprintf(c.a.stderr, "deleted %s %s\n", m.kind, m.arn)
		}
	}
	c.made = nil
	return errors.Join(errs...)
}

// serveRole is the role the created machines name: emulators accept any
// role ARN and run no IAM.
const serveRole = "arn:aws:iam::" + gateway.PlaceholderAccount + ":role/sfnapic-serve"

// createMachines creates the template's state machines at an emulator,
// named by their logical IDs, each after the machines its definition
// names (so that it names their real ARNs), and publishes a version and
// makes an alias of each machine the template gives them. What it made
// is in c.made also when it fails part-way, so that it can be deleted.
func (c *creator) createMachines(ctx context.Context) error {
	order, err := creationOrder(c.g.Template)
	if err != nil {
		return err
	}
	existing := map[string]string{} // name -> ARN
	p := sfn.NewListStateMachinesPaginator(c.client, &sfn.ListStateMachinesInput{})
	for pages := 0; p.HasMorePages() && pages < 100; pages++ {
		page, err := p.NextPage(ctx)
		if err != nil {
			return fmt.Errorf("listing the state machines there: %w", err)
		}
		for _, m := range page.StateMachines {
			existing[aws.ToString(m.Name)] = aws.ToString(m.StateMachineArn)
		}
	}
	for _, id := range order {
		arn, def, err := c.createMachine(ctx, id, existing[id])
		if err != nil {
			return err
		}
		c.made = append(c.made, made{"state machine", arn, "delete-state-machine --state-machine-arn " + arn})
		setMachine(c.vars, id, arn)
		if err := c.settle(ctx, id, arn, def); err != nil {
			return err
		}
		if err := c.publishAlias(ctx, id, arn); err != nil {
			return err
		}
	}
	return nil
}

// createMachine creates one machine with its definition substituted, and
// returns its ARN. A machine of that name already there (an earlier serve
// that was killed left it) gets the template's definition: an emulator
// may hand back the old one unchanged (moto does), and it is deleted on
// exit like the others.
func (c *creator) createMachine(ctx context.Context, id, arn string) (string, []byte, error) {
	m := c.g.Template.CFN.Resources[id].(*stepfunctions.StateMachine)
	def, err := c.definition(id)
	if err != nil {
		return "", nil, err
	}
	if arn != "" {
		if _, err := c.client.UpdateStateMachine(ctx, &sfn.UpdateStateMachineInput{
			StateMachineArn: aws.String(arn), Definition: aws.String(string(def)), RoleArn: aws.String(serveRole),
		}); err != nil {
			return "", nil, fmt.Errorf("state machine %s is already there (%s), and updating it failed: %w; delete it, or restart the emulator", id, arn, err)
		}
		fmt.Fprintf(c.a.stderr, "updated %s, which was already there (left by an earlier serve?), to the template's definition\n", arn)
		return arn, def, nil
	}
	typ := sfntypes.StateMachineTypeStandard
	if m.StateMachineType != nil {
		typ = sfntypes.StateMachineType(*m.StateMachineType)
	}
	out, err := c.client.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{
		Name: aws.String(id), Definition: aws.String(string(def)), RoleArn: aws.String(serveRole), Type: typ,
	})
	if err != nil {
		return "", nil, fmt.Errorf("creating state machine %s: %w", id, err)
	}
	arn = aws.ToString(out.StateMachineArn)
	fmt.Fprintf(c.a.stderr, "created %s\n", arn)
	return arn, def, nil
}

// definition is machine id's definition with its substitutions made:
// machines created before it by their real ARNs and names, the rest from
// the gateway's values (the environment's, placeholders for what only
// AWS knows).
func (c *creator) definition(id string) ([]byte, error) {
	m := c.g.Template.CFN.Resources[id].(*stepfunctions.StateMachine)
	def, err := substituted(c.g.Template, m, func(name string) (string, bool) {
		if v, ok := c.vars[name]; ok {
			return v, true // a machine created before this one
		}
		return c.g.Vars[name], c.g.Vars[name] != ""
	})
	if err != nil {
		return nil, fmt.Errorf("state machine %s: %w", id, err)
	}
	return def, nil
}

// settle gives a machine the definition it should have had: the first
// one is made before the emulator's region and account are known (its
// ARN tells them), so a definition naming ${AWS::Region} or
// ${AWS::AccountId} was sent with serve's placeholders, which the later
// machines do not see.
func (c *creator) settle(ctx context.Context, id, arn string, sent []byte) error {
	def, err := c.definition(id)
	if err != nil || bytes.Equal(def, sent) {
		return err
	}
	if _, err := c.client.UpdateStateMachine(ctx, &sfn.UpdateStateMachineInput{StateMachineArn: aws.String(arn), Definition: aws.String(string(def))}); err != nil {
		return fmt.Errorf("state machine %s: updating its definition to the emulator's region and account: %w", id, err)
	}
	fmt.Fprintf(c.a.stderr, "updated %s: its definition names the emulator's region and account, known once a machine was made there\n", arn)
	return nil
}

// creationOrder is the template's machines in an order where each comes
// after the machines its DefinitionSubstitutions name (by Ref or
// Fn::GetAtt), and otherwise in logical-ID order. spec refuses machines
// that name each other in a ring, as CloudFormation would; a template
// that has one anyway is refused here, naming the ring.
func creationOrder(t *cfn.Template) ([]string, error) {
	deps := map[string][]string{}
	for _, id := range machineIDs(t) {
		for _, raw := range t.CFN.Resources[id].(*stepfunctions.StateMachine).DefinitionSubstitutions {
			s, _ := raw.(string)
			target, ok := t.RefTarget(s)
			if !ok {
				target, _, ok = t.GetAttTarget(s)
			}
			if _, machine := t.CFN.Resources[target].(*stepfunctions.StateMachine); ok && machine {
				deps[id] = append(deps[id], target)
			}
		}
		sort.Strings(deps[id])
	}
	var order []string
	done, visiting := map[string]bool{}, map[string]bool{}
	var visit func(path []string) error
	visit = func(path []string) error {
		id := path[len(path)-1]
		if done[id] {
			return nil
		}
		if visiting[id] {
			return fmt.Errorf("state machines %s name each other through DefinitionSubstitutions, so none of them can be created first; make one of them take the other's ARN as an input instead", strings.Join(path, " -> "))
		}
		visiting[id] = true
		for _, d := range deps[id] {
			if err := visit(append(path[:len(path):len(path)], d)); err != nil {
				return err
			}
		}
		done[id] = true
		order = append(order, id)
		return nil
	}
	for _, id := range machineIDs(t) {
		if err := visit([]string{id}); err != nil {
			return nil, err
		}
	}
	return order, nil
}

// versionOf finds the StateMachineVersion the template publishes of a
// machine, and the StateMachineAlias that routes to it: their logical
// IDs and resources, or "" and nil where it has none.
func versionOf(t *cfn.Template, machineID string) (string, *stepfunctions.StateMachineVersion, *stepfunctions.StateMachineAlias) {
	ids := make([]string, 0, len(t.CFN.Resources))
	for id := range t.CFN.Resources {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	versionID := ""
	var version *stepfunctions.StateMachineVersion
	for _, id := range ids {
		if v, ok := t.CFN.Resources[id].(*stepfunctions.StateMachineVersion); ok {
			if target, _ := t.RefTarget(v.StateMachineArn); target == machineID {
				versionID, version = id, v
				break
			}
		}
	}
	if version == nil {
		return "", nil, nil
	}
	for _, id := range ids {
		a, ok := t.CFN.Resources[id].(*stepfunctions.StateMachineAlias)
		if !ok {
			continue
		}
		var routes []string
		if a.DeploymentPreference != nil {
			routes = append(routes, a.DeploymentPreference.StateMachineVersionArn)
		}
		for _, r := range a.RoutingConfiguration {
			routes = append(routes, r.StateMachineVersionArn)
		}
		for _, r := range routes {
			if target, _ := t.RefTarget(r); target == versionID {
				return versionID, version, a
			}
		}
	}
	return versionID, version, nil
}

// publishAlias publishes a version of the machine just made, and makes
// its alias route all starts to it, where the template has them. A canary
// (DeploymentPreference) moves an alias from one version to the next; the
// first version takes all starts, as when CloudFormation creates the
// alias. The routes name the alias as the machine's ARN and ":NAME"
// (compile writes ${StateMachineX}:NAME), which is the alias's ARN in
// Step Functions; an emulator that answers with another ARN is refused
// rather than called at an ARN it does not know.
func (c *creator) publishAlias(ctx context.Context, id, arn string) error {
	versionID, version, alias := versionOf(c.g.Template, id)
	if version == nil {
		return nil
	}
	// An emulator's 500 for an action it lacks is not worth retrying.
	once := func(o *sfn.Options) { o.RetryMaxAttempts = 1 }
	pub, err := c.client.PublishStateMachineVersion(ctx, &sfn.PublishStateMachineVersionInput{StateMachineArn: aws.String(arn), Description: version.Description}, once)
	if err != nil {
		return c.unsupported(fmt.Sprintf("publishing a version of state machine %s (%s)", id, versionID), "PublishStateMachineVersion", err)
	}
	versionArn := aws.ToString(pub.StateMachineVersionArn)
	c.made = append(c.made, made{"version", versionArn, "delete-state-machine-version --state-machine-version-arn " + versionArn})
	fmt.Fprintf(c.a.stderr, "published version %s\n", versionArn)
	if alias == nil {
		return nil
	}
	name := aws.ToString(alias.Name)
	in := &sfn.CreateStateMachineAliasInput{Name: aws.String(name), Description: alias.Description,
		RoutingConfiguration: []sfntypes.RoutingConfigurationListItem{{StateMachineVersionArn: aws.String(versionArn), Weight: 100}}}
	out, err := c.client.CreateStateMachineAlias(ctx, in, once)
	action := "CreateStateMachineAlias"
	var conflict *sfntypes.ConflictException
	if errors.As(err, &conflict) {
		action = "UpdateStateMachineAlias"
		// An alias of that name, left by an earlier serve, routes
		// elsewhere: it now routes to this version.
		_, err = c.client.UpdateStateMachineAlias(ctx, &sfn.UpdateStateMachineAliasInput{StateMachineAliasArn: aws.String(arn + ":" + name),
			RoutingConfiguration: in.RoutingConfiguration, Description: alias.Description}, once)
		out = &sfn.CreateStateMachineAliasOutput{StateMachineAliasArn: aws.String(arn + ":" + name)}
		if err == nil {
			fmt.Fprintf(c.a.stderr, "updated alias %s, which was already there (left by an earlier serve?), to route to %s\n", arn+":"+name, versionArn)
		}
	}
	if err != nil {
		return c.unsupported(fmt.Sprintf("creating alias %s of state machine %s", name, id), action, err)
	}
	aliasArn := aws.ToString(out.StateMachineAliasArn)
	c.made = append(c.made, made{"alias", aliasArn, "delete-state-machine-alias --state-machine-alias-arn " + aliasArn})
	if aliasArn != arn+":"+name {
		return fmt.Errorf("the emulator at %s made alias %s of state machine %s as %s, not %s:%s as Step Functions names an alias; the routes start the machine at the ARN Step Functions would give it, so serve cannot call this emulator's alias", c.where, name, id, aliasArn, arn, name)
	}
	if conflict == nil {
		fmt.Fprintf(c.a.stderr, "created alias %s, routing all starts to %s\n", aliasArn, versionArn)
	}
	return nil
}

// unsupported explains the failure of an action of versions and aliases:
// an emulator that lacks the action (moto 5.2.1 answers HTTP 500 to
// PublishStateMachineVersion, DeleteStateMachineVersion and
// ListStateMachineVersions, and starts nothing through an alias or a
// version) is named as the cause, with what to do instead.
func (c *creator) unsupported(doing, action string, err error) error {
	var re *smithyhttp.ResponseError
	var api smithy.APIError
	var deser *smithy.DeserializationError
	lacks := errors.As(err, &deser) || errors.As(err, &re) && (re.HTTPStatusCode() == http.StatusInternalServerError || re.HTTPStatusCode() == http.StatusNotImplemented)
	if errors.As(err, &api) {
		switch api.ErrorCode() {
		case "UnknownOperationException", "InvalidAction", "NotImplemented", "NotImplementedException":
			lacks = true
		}
	}
	if !lacks {
		return fmt.Errorf("%s: %w", doing, err)
	}
	// The cause is kept as text: explainAWS would put a message of its
	// own for an HTML reply in place of this one.
	return fmt.Errorf("%s: the emulator at %s does not do %s (%v). The template publishes versions and routes starts through aliases (the spec's publish and alias), and this emulator cannot serve them; moto 5.2.1 cannot (it has no PublishStateMachineVersion, no DeleteStateMachineVersion, and starts nothing through an alias or a version). Serve with --mock, call a deployed stack with --stack, or use an emulator that has versions and aliases", doing, c.where, action, err)
}
