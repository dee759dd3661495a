package cmd

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/spf13/cobra"

	"github.com/sfnapic/sfnapic/gateway"
	"github.com/sfnapic/sfnapic/internal/awsconfig"
	"github.com/sfnapic/sfnapic/internal/sfncall"
	"github.com/sfnapic/sfnapic/internal/sfnmock"
)

type serveOptions struct {
	template    string
	addr        string
	mock        bool
	mockReplies string
	values      paramFlags
	create      bool
	// allowRemote lets --create make state machines at an endpoint off
	// this machine (an emulator in another container); never in AWS.
	allowRemote bool
	logInput    bool
	watch       bool
	// apiKeys are --api-key NAME=VALUE, the values of the template's
	// keys that requests may carry.
	apiKeys []string
	// drain is how long a stop waits for the requests in flight before
	// it cuts them off (30 s; tests shorten it).
	drain time.Duration
	// authFlags check callers as the template's authorizers would.
	authFlags
	// awsFlags name the deployed stack (--stack), or the emulator
	// (--endpoint-url), whose state machines serve calls.
	awsFlags
}

const serveDoc = `Serve runs the API on this machine as API Gateway would run it: for each
request it picks the route, checks the content type and the required
parameters, renders the route's compiled request template, calls Step
Functions with the route's action, and answers through the compiled
integration responses and gateway responses, headers included. It runs the
template's text, not something derived again from the spec.

Where the calls go:
  --mock (the default)   a built-in stand-in that needs no AWS: a start gets an
                         execution ARN (the execution stays RUNNING until a stop
                         route aborts it), a synchronous run returns its input as
                         its output, a callback is taken for any token.
                         --mock-replies FILE scripts replies per route or action.
  --stack NAME           AWS (or --endpoint-url), with the state machines of that
                         deployed stack.
  --endpoint-url URL --create
                         an emulator (moto, LocalStack, Step Functions Local):
                         serve creates the template's state machines there
                         (each after the machines its definition names, with
                         the version and alias of publish and alias) and
                         deletes them when it stops. The endpoint the SDK
                         resolves (--endpoint-url, AWS_ENDPOINT_URL_SFN,
                         AWS_ENDPOINT_URL, the profile's endpoint_url) must be
                         on this machine; --allow-remote-endpoint allows one
                         elsewhere, never AWS itself.

Each request logs one line on stderr: verb, path, route, status, execution,
latency. --log-input adds what Step Functions (or the mock) received; it is
off by default, as an input may carry a secret mapped from a header. --watch
rebuilds when the spec or a definition file changes; a spec with errors keeps
the last good one serving. Ctrl-C (or SIGTERM, or SIGHUP) lets requests in
flight finish, for up to 30 s. Serve listens on loopback unless --addr says
otherwise; there it answers only requests addressed to this machine (Host
localhost, 127.0.0.1 or [::1]). A web page's cross-site request (Origin,
Sec-Fetch-Site) is refused with 403 unless the API's CORS headers allow its
origin.

` + specHelp + `

Examples:
  sfnapic serve examples/item-api.yaml
  curl -X POST localhost:8080/42 -H 'Content-Type: application/json' -d '{}'
  sfnapic serve examples/orders-api.yaml --endpoint-url http://127.0.0.1:5000 --create
  sfnapic serve examples/item-api.yaml --stack item-api --region eu-west-1`

func newServeCmd(a *app) *cobra.Command {
	o := serveOptions{drain: 30 * time.Second}
	cmd := &cobra.Command{
		Use:   "serve [SPEC | --template FILE] [--mock | --stack NAME | --endpoint-url URL --create] [--addr HOST:PORT]",
		Short: "serve the API locally through its compiled templates",
		Long:  serveDoc,
		Args: func(cmd *cobra.Command, args []string) error {
			if cmd.Flags().Changed("template") {
				return exactArgs(0, "no SPEC with --template")(cmd, args)
			}
			return optionalSpec(cmd, args)
		},
		RunE: runE(func(cmd *cobra.Command, args []string) error {
			specName := firstArg(args)
			if o.template == "" {
				var err error
				if specName, err = specOrDefault(specName); err != nil {
					return err
				}
			}
			return runServe(cmd.Context(), a, specName, o)
		}),
	}
	f := cmd.Flags()
	f.StringVar(&o.template, "template", "", "serve the template `FILE` (JSON or YAML) that sfnapic build wrote, instead of a spec")
	f.StringVar(&o.addr, "addr", "127.0.0.1:8080", "listen on `HOST:PORT`")
	f.BoolVar(&o.mock, "mock", false, "answer with the built-in stand-in for Step Functions (the default)")
	f.StringVar(&o.mockReplies, "mock-replies", "", "script the stand-in's replies from `FILE`: {\"POST /quotes\": {\"status\": 200, \"body\": {...}}}")
	f.BoolVar(&o.create, "create", false, "create the template's state machines at --endpoint-url, and delete them on exit")
	f.BoolVar(&o.allowRemote, "allow-remote-endpoint", false, "let --create use an emulator that is not on this machine (never AWS itself)")
	f.BoolVar(&o.logInput, "log-input", false, "log what Step Functions (or the mock) received for each request; off by default, as inputs may carry secrets mapped from headers or bodies")
	f.BoolVar(&o.watch, "watch", false, "rebuild and reload when the spec or a definition file changes")
	f.StringVar(&o.jwks, "jwks", "", "check Cognito tokens against the JSON Web Key Set in `FILE` (the user pool's .well-known/jwks.json)")
	f.StringArrayVar(&o.authorizers, "authorizer", nil, "stand in for Lambda authorizer NAME: `NAME=COMMAND` runs a program with the authorizer event on stdin and its answer on stdout, NAME=@FILE answers with FILE (repeatable)")
	f.StringArrayVar(&o.iamKeys, "iam-key", nil, "check SigV4 signatures of AWS_IAM routes against the credentials `ID:SECRET` (repeatable)")
	f.StringArrayVar(&o.apiKeys, "api-key", nil, "take `NAME=VALUE` as the value of API key NAME (repeatable); serve never prints it")
	o.values.add(cmd, envServeUsage)
	o.awsFlags.add(cmd, awsHelp{stack: "call the state machines of the deployed stack `NAME`",
		endpoint: "call Step Functions (and CloudFormation) at `URL`, such as an emulator"})
	return cmd
}

// backend is where serve's calls go, and what it prints about it.
type backend struct {
	sf     gateway.StepFunctions
	client *sfn.Client       // Step Functions' client, when not the mock
	mock   bool              // the built-in stand-in
	vars   map[string]string // the real ARNs of the template's machines
	// missing says why a machine without an ARN in vars cannot be called.
	missing string
	about   string
	cleanup func(context.Context) error
}

func runServe(parent context.Context, a *app, specName string, o serveOptions) error {
	survivePipes()
	if err := o.check(); err != nil {
		return err
	}
	sv, keys, err := loadCallers(a, specName, o)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", o.addr)
	if err != nil {
		return fmt.Errorf("cannot listen on %s: %w", o.addr, err)
	}
	defer ln.Close()

	ctx, stop := interruptible(parent)
	defer stop()
	be, err := serveBackend(ctx, a, sv.g, o)
	if err != nil {
		return err
	}
	be.apply(sv.g)

	var logMu sync.Mutex
	// Inputs are logged only when asked for, whatever the backend: an
	// input carries what the route maps from headers and bodies (tokens,
	// personal data), and a log cannot take back what it printed. API
	// Gateway, too, logs no payloads unless a stage turns on "full request
	// and response logs" (dataTraceEnabled), which AWS advises against for
	// production APIs (API Gateway developer guide, "Execution logging
	// for REST APIs").
	var srv *gateway.Server
	con, off := serveConsole(ln, sv.g, be, func() *gateway.Server { return srv })
	srv = gateway.NewServer(sv.g, be.sf, both(logEvent(a, &logMu, o.logInput), con))
	httpSrv := httpServer(srv, ln)
	httpSrv.Handler = withConsole(con, srv, httpSrv.Handler)
	if con != nil {
		httpSrv.RegisterOnShutdown(con.Close)
	}
	printServing(a, ln, sv.g, be, keys, consoleLine(ln, off))

	if o.watch {
		go watch(ctx, a, &logMu, sv.files, func() []string {
			return reload(a, &logMu, specName, o, be, srv, keys)
		})
	}
	err = serveUntilDone(ctx, a, httpSrv, ln, o.drain)
	if be.cleanup != nil {
		cctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		if cerr := be.cleanup(cctx); cerr != nil && err == nil {
			err = cerr
		}
		cancel()
	}
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	return err
}

// loadCallers loads what serve runs and what it checks callers against:
// the authorizers' stand-ins and the API keys' values.
func loadCallers(a *app, specName string, o serveOptions) (*target, *gateway.Keys, error) {
	auth, err := o.auth()
	if err != nil {
		return nil, nil, err
	}
	keys, err := parseAPIKeys(o.apiKeys)
	if err != nil {
		return nil, nil, err
	}
	sv, diags, err := loadTarget(specName, o.template)
	fmt.Fprint(a.stderr, diags.String())
	if err == nil {
		err = o.values.local(a, sv)
	}
	if err != nil {
		return nil, nil, err
	}
	sv.g.Auth = auth
	if err := useKeys(sv.g, keys); err != nil {
		return nil, nil, err
	}
	return sv, keys, nil
}

// httpServer serves srv behind its guard, which refuses a Host other than
// this machine's when serve is on loopback (DNS rebinding), and a web
// page's cross-site request that the API's CORS does not allow: a page
// must not drive serve with the developer's credentials
// (gateway.Server.Guard). A client gets 10 s to send its headers and a
// minute for the whole request (a 10 MB body is well under a second on
// loopback), and the answer a minute to leave (the longest integration
// waits 29 s): no client holds a connection for ever.
func httpServer(srv *gateway.Server, ln net.Listener) *http.Server {
	loopback := ln.Addr().(*net.TCPAddr).IP.IsLoopback()
	return &http.Server{Handler: srv.Guard(loopback), ReadHeaderTimeout: 10 * time.Second, ReadTimeout: time.Minute,
		WriteTimeout: time.Minute, IdleTimeout: 2 * time.Minute, MaxHeaderBytes: 1 << 20}
}

// check refuses the flags that contradict each other.
func (o serveOptions) check() error {
	remote := o.stack != "" || o.create || o.aws.Endpoint != ""
	switch {
	case o.mock && remote:
		return usagef("--mock answers without Step Functions: drop --stack, --endpoint-url and --create, or drop --mock")
	case o.mockReplies != "" && remote:
		return usagef("--mock-replies scripts the built-in stand-in: it cannot be used with --stack, --endpoint-url or --create")
	case o.create && o.stack != "":
		return usagef("--create makes the state machines at an emulator, --stack uses those of a deployed stack: choose one")
	case o.allowRemote && !o.create:
		return usagef("--allow-remote-endpoint is for --create")
	case o.create && !awsconfig.NamesEndpoint(context.Background(), o.aws, "SFN"):
		return usagef("--create makes state machines at an emulator: name it with --endpoint-url URL (serve does not create them in AWS; deploy does)")
	case o.aws.Endpoint != "" && !o.create && o.stack == "":
		return usagef("--endpoint-url needs the state machines to call there: --create makes them from the template, --stack NAME reads a stack deployed there")
	}
	return nil
}

// logEvent logs one line on stderr for each request, with what Step
// Functions received when input is set.
func logEvent(a *app, mu *sync.Mutex, input bool) func(gateway.Event) {
	return func(ev gateway.Event) {
		// What a client or Step Functions wrote (a reason quoting an error
		// message, an execution's name, the input) is escaped: no control
		// or bidi character reaches the terminal.
		line := fmt.Sprintf("%s %s -> %s %d %s %s", escapeText(ev.Method), escapeText(ev.Path), escapeText(orDash(ev.Route)), ev.Status,
			escapeText(orDash(ev.Execution)), ev.Latency.Round(10*time.Microsecond))
		if ev.Reason != "" {
			line += " (" + escapeText(ev.Reason) + ")"
		}
		if input && ev.Input != "" {
			line += "\n  " + escapeText(strings.TrimSpace(ev.Input))
		}
		mu.Lock()
		defer mu.Unlock()
		fmt.Fprintln(a.stderr, line)
	}
}

// printServing says where serve listens, the routes, and where their
// calls go.
func printServing(a *app, ln net.Listener, g *gateway.Gateway, be *backend, keys *gateway.Keys, console string) {
	addr := ln.Addr().(*net.TCPAddr)
	if !addr.IP.IsLoopback() {
		fmt.Fprintf(a.stderr, "warning: serving on %s, which other machines can reach; %s, and any Host name is answered (the check against DNS rebinding holds on loopback only)\n", ln.Addr(), whoMayCall(g))
	}
	fmt.Fprintf(a.stderr, "serving %d route%s on http://%s (stage %s)\n", len(g.Routes()), plural(len(g.Routes())), ln.Addr(), g.Stage)
	for _, r := range g.Routes() {
		fmt.Fprintf(a.stderr, "  %s\n", r)
	}
	fmt.Fprintf(a.stderr, "backend: %s\n", be.about)
	printAuth(a, g)
	printAccess(a.stderr, g, keys)
	fmt.Fprintln(a.stderr, console)
	fmt.Fprintln(a.stderr, "press Ctrl-C to stop")
}

// reload loads the spec (or template) again for --watch and serves it;
// one with errors leaves the last good one serving. It returns the files
// to watch from then on, or nil when it failed.
func reload(a *app, mu *sync.Mutex, specName string, o serveOptions, be *backend, srv *gateway.Server, keys *gateway.Keys) []string {
	next, diags, err := loadTarget(specName, o.template)
	if err == nil {
		err = o.values.local(a, next)
	}
	if err == nil {
		err = useKeys(next.g, keys)
	}
	mu.Lock()
	defer mu.Unlock()
	fmt.Fprint(a.stderr, diags.String())
	if err != nil {
		if !errors.Is(err, errReported) {
			fmt.Fprintf(a.stderr, "sfnapic: %v\n", err)
		}
		fmt.Fprintln(a.stderr, "reload failed: still serving the last good version")
		return nil
	}
	be.apply(next.g)
	next.g.Auth = srv.Gateway().Auth
	srv.Swap(next.g)
	fmt.Fprintf(a.stderr, "reloaded: %d route%s\n", len(next.g.Routes()), plural(len(next.g.Routes())))
	if !be.mock {
		// The state machines were created (or read from the
		// stack) when serve started; a new one has no ARN here.
		for _, id := range machineIDs(next.g.Template) {
			if _, ok := be.vars[id]; !ok {
				fmt.Fprintf(a.stderr, "warning: state machine %s is new since serve started, so %s; restart serve to call it\n", id, be.missing)
			}
		}
	}
	return next.files
}

// serveUntilDone serves until the server fails or ctx ends; then it
// lets the requests in flight finish, for up to drain, and cuts off those
// still running. A stop that had to cut requests off is still the stop
// that was asked for: it says how many, and is no error.
func serveUntilDone(ctx context.Context, a *app, httpSrv *http.Server, ln net.Listener, drain time.Duration) error {
	var inFlight atomic.Int64
	next := httpSrv.Handler
	httpSrv.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		inFlight.Add(1)
		defer inFlight.Add(-1)
		next.ServeHTTP(w, r)
	})
	served := make(chan error, 1)
	go func() { served <- httpSrv.Serve(ln) }()
	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	fmt.Fprintln(a.stderr, "stopping: letting requests in flight finish")
	sctx, cancel := context.WithTimeout(context.Background(), drain)
	defer cancel()
	err := httpSrv.Shutdown(sctx)
	if !errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	// Shutdown has closed the listener: no request starts from here on.
	n := inFlight.Load()
	_ = httpSrv.Close() // cancels the calls of the requests still running
	if n == 0 {
		fmt.Fprintf(a.stderr, "stopped waiting after %s: closed the connections still open (no request was in flight)\n", drain)
	} else {
		fmt.Fprintf(a.stderr, "stopped waiting after %s: cut off %d request%s still in flight, without an answer\n", drain, n, plural(int(n)))
	}
	return nil
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// apply gives the gateway the real ARNs of the backend's machines.
func (be *backend) apply(g *gateway.Gateway) {
	for k, v := range be.vars {
		g.Vars[k] = v
	}
}

// serveBackend sets up where the calls go.
func serveBackend(ctx context.Context, a *app, g *gateway.Gateway, o serveOptions) (*backend, error) {
	if o.stack == "" && !o.create {
		return mockBackend(o.mockReplies, g)
	}
	sctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	cfg, err := o.config(sctx)
	if err != nil {
		return nil, err
	}
	client := awsconfig.StepFunctions(cfg, o.aws, func(so *sfn.Options) {
		if so.BaseEndpoint != nil { // an emulator, at one URL
			sfncall.NoHostPrefix(so)
		}
	})
	resolved, err := awsconfig.StepFunctionsEndpoint(sctx, cfg, o.aws, client)
	if err != nil {
		return nil, err
	}
	if err := o.checkCreateEndpoint(resolved); err != nil {
		return nil, err
	}
	where := resolved.URL
	be := &backend{sf: sfncall.New(client), client: client, vars: map[string]string{}}
	if o.stack != "" {
		outputs, id, err := describeStack(sctx, awsconfig.CloudFormation(cfg), o.stack)
		if err != nil {
			return nil, explainAWS(err, cfg, o.debug)
		}
		stackPlace(be.vars, id)
		if err := stackMachines(outputs, o.stack, g, be.vars); err != nil {
			return nil, err
		}
		be.about = fmt.Sprintf("Step Functions at %s, with the state machines of stack %s", where, o.stack)
		be.missing = "the stack has none (deploy first)"
		return be, nil
	}
	if err := be.create(sctx, a, client, g, where); err != nil {
		return nil, explainAWS(err, cfg, o.debug)
	}
	return be, nil
}

// checkCreateEndpoint refuses to let --create make (and delete) state
// machines anywhere but at an emulator on this machine, unless
// --allow-remote-endpoint says so; in AWS itself never (deploy does). It
// judges the endpoint the Step Functions client resolved, not the
// settings: AWS_IGNORE_CONFIGURED_ENDPOINT_URLS, AWS_ENDPOINT_URL_SFN and
// a profile's endpoint_url all change it.
func (o serveOptions) checkCreateEndpoint(r awsconfig.Resolved) error {
	if !o.create || r.Loopback() {
		return nil
	}
	where := fmt.Sprintf("the Step Functions endpoint resolved is %s, from %s", r.URL, r.From)
	if r.AWS() {
		return usagef("--create makes state machines at an emulator, and %s, which is AWS: serve does not create them in AWS (deploy does); name the emulator with --endpoint-url URL", where)
	}
	if !o.allowRemote {
		return usagef("--create makes state machines at an emulator on this machine, and %s, which is not on this machine: name a loopback one with --endpoint-url URL, or pass --allow-remote-endpoint to create (and delete) them there", where)
	}
	return nil
}

// mockBackend is the built-in stand-in, with the replies scripted in
// the file named, if any.
func mockBackend(replies string, g *gateway.Gateway) (*backend, error) {
	var scripts map[string]gateway.Reply
	about := "mock (no AWS calls): --stack NAME calls a deployed stack, --endpoint-url URL --create an emulator"
	if replies != "" {
		b, err := readInput(replies, maxReadBytes)
		if err != nil {
			return nil, fmt.Errorf("cannot read the replies: %w", err)
		}
		if scripts, err = sfnmock.ParseScripts(b); err != nil {
			return nil, fmt.Errorf("%s: %w", replies, err)
		}
		if err := checkReplyKeys(scripts, g.API); err != nil {
			return nil, fmt.Errorf("%s: %w", replies, err)
		}
		about = fmt.Sprintf("mock (no AWS calls), %d scripted replies from %s", len(scripts), replies)
	}
	return &backend{sf: sfnmock.New(scripts), mock: true, about: about}, nil
}

// watch polls the files every so often and calls reload when one changed;
// a reload that worked says which files to watch from then on (a spec may
// name a new definition file). Polling needs nothing of the platform, and
// a spec is a handful of files.
func watch(ctx context.Context, a *app, mu *sync.Mutex, files []string, reload func() []string) {
	stamp := func() string {
		var b strings.Builder
		for _, f := range files {
			if fi, err := os.Stat(f); err == nil {
				fmt.Fprintf(&b, "%s %d %d;", f, fi.Size(), fi.ModTime().UnixNano())
			} else {
				fmt.Fprintf(&b, "%s missing;", f)
			}
		}
		return b.String()
	}
	last := stamp()
	tick := time.NewTicker(300 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		if now := stamp(); now != last {
			last = now
			mu.Lock()
			fmt.Fprintln(a.stderr, "change seen: rebuilding")
			mu.Unlock()
			if next := reload(); next != nil {
				files = next
				last = stamp()
			}
		}
	}
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
