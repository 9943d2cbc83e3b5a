// The Terraform CLI configuration as Terraform reads it (internal/command/cliconfig
// loadConfigFile): the file's text through HCL v1's hcl.Parse, then hcl.DecodeObject into the
// shape of cliconfig.Config; provider_installation blocks are decoded on their own there, so here
// they are given back as HCL decodes them generically.
//
// One request per line, {"text": "<the file>"}; one answer per line, {"config": {...}} with the
// credentials blocks by their label as written, or {"error": "<what Terraform would report>"}.
package main

import (
	"bufio"
	"encoding/json"
	"os"

	"github.com/hashicorp/hcl"
	"github.com/hashicorp/hcl/hcl/ast"
)

// cliConfig has the fields and hcl tags of Terraform's cliconfig.Config.
type cliConfig struct {
	Providers    map[string]string
	Provisioners map[string]string

	DisableCheckpoint          bool `hcl:"disable_checkpoint"`
	DisableCheckpointSignature bool `hcl:"disable_checkpoint_signature"`

	PluginCacheDir                        string `hcl:"plugin_cache_dir"`
	PluginCacheMayBreakDependencyLockFile bool   `hcl:"plugin_cache_may_break_dependency_lock_file"`

	Hosts map[string]*configHost `hcl:"host"`

	Credentials        map[string]map[string]interface{}   `hcl:"credentials"`
	CredentialsHelpers map[string]*configCredentialsHelper `hcl:"credentials_helper"`
}

type configHost struct {
	Services map[string]interface{} `hcl:"services"`
}

type configCredentialsHelper struct {
	Args []string `hcl:"args"`
}

type request struct {
	Text string `json:"text"`
}

type answer struct {
	Config *cliConfig    `json:"config,omitempty"`
	Items  []interface{} `json:"items,omitempty"`
	Error  string        `json:"error,omitempty"`
}

func read(text string) answer {
	obj, err := hcl.Parse(text)
	if err != nil {
		return answer{Error: "Error parsing: " + err.Error()}
	}
	result := &cliConfig{}
	if err := hcl.DecodeObject(&result, obj); err != nil {
		return answer{Error: "Error decoding: " + err.Error()}
	}
	items := []interface{}{}
	if list, ok := obj.Node.(*ast.ObjectList); ok {
		for _, item := range list.Items {
			items = append(items, structure(item))
		}
	}
	return answer{Config: result, Items: items}
}

// structure is a node as plain data: an item's keys and value, an object's items, a list's
// elements, a literal's token text.
func structure(node ast.Node) interface{} {
	switch n := node.(type) {
	case *ast.ObjectItem:
		keys := []string{}
		for _, key := range n.Keys {
			keys = append(keys, key.Token.Text)
		}
		return map[string]interface{}{"keys": keys, "value": structure(n.Val)}
	case *ast.ObjectList:
		items := []interface{}{}
		for _, item := range n.Items {
			items = append(items, structure(item))
		}
		return items
	case *ast.ObjectType:
		return map[string]interface{}{"object": structure(n.List)}
	case *ast.ListType:
		elements := []interface{}{}
		for _, element := range n.List {
			elements = append(elements, structure(element))
		}
		return map[string]interface{}{"list": elements}
	case *ast.LiteralType:
		return map[string]interface{}{"literal": n.Token.Text, "type": n.Token.Type.String()}
	}
	return nil
}

func main() {
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 64<<20)
	out := json.NewEncoder(os.Stdout)
	for in.Scan() {
		var req request
		if err := json.Unmarshal(in.Bytes(), &req); err != nil {
			_ = out.Encode(answer{Error: "bad request: " + err.Error()})
			continue
		}
		_ = out.Encode(read(req.Text))
	}
}
