// The JSON readers of Docker, Podman (containers/image) and the JFrog CLI, for the fuzz suites:
// each is a Go program decoding with encoding/json into its own structs, so duplicate keys, keys
// matched to fields case-insensitively ("Auths" fills auths, "credHelper\u017f" too), merged
// duplicate maps and big numbers read here exactly as they do there. The structs mirror
// docker/cli cli/config/configfile.ConfigFile and types.AuthConfig, containers/image
// pkg/docker/config dockerConfigFile, and jfrog-cli-core utils/config ConfigV6/ServerDetails.
//
// One request per stdin line, {"tool": "docker"|"podman"|"jfrog", "text": …, "hosts": […]};
// one answer per stdout line: what the tool decoded, and what it would use for each host.
package main

import (
	"bufio"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"os"
	"sort"
	"strings"
)

type request struct {
	Tool  string   `json:"tool"`
	Text  string   `json:"text"`
	Hosts []string `json:"hosts"`
}

// docker/cli types.AuthConfig.
type authConfig struct {
	Username      string `json:"username,omitempty"`
	Password      string `json:"password,omitempty"`
	Auth          string `json:"auth,omitempty"`
	Email         string `json:"email,omitempty"`
	ServerAddress string `json:"serveraddress,omitempty"`
	IdentityToken string `json:"identitytoken,omitempty"`
	RegistryToken string `json:"registrytoken,omitempty"`
}

type proxyConfig struct {
	HTTPProxy  string `json:"httpProxy,omitempty"`
	HTTPSProxy string `json:"httpsProxy,omitempty"`
	NoProxy    string `json:"noProxy,omitempty"`
	FTPProxy   string `json:"ftpProxy,omitempty"`
	AllProxy   string `json:"allProxy,omitempty"`
}

// docker/cli configfile.ConfigFile.
type dockerConfig struct {
	AuthConfigs          map[string]authConfig        `json:"auths"`
	HTTPHeaders          map[string]string            `json:"HttpHeaders,omitempty"`
	PsFormat             string                       `json:"psFormat,omitempty"`
	ImagesFormat         string                       `json:"imagesFormat,omitempty"`
	NetworksFormat       string                       `json:"networksFormat,omitempty"`
	PluginsFormat        string                       `json:"pluginsFormat,omitempty"`
	VolumesFormat        string                       `json:"volumesFormat,omitempty"`
	StatsFormat          string                       `json:"statsFormat,omitempty"`
	DetachKeys           string                       `json:"detachKeys,omitempty"`
	CredentialsStore     string                       `json:"credsStore,omitempty"`
	CredentialHelpers    map[string]string            `json:"credHelpers,omitempty"`
	ServiceInspectFormat string                       `json:"serviceInspectFormat,omitempty"`
	ServicesFormat       string                       `json:"servicesFormat,omitempty"`
	TasksFormat          string                       `json:"tasksFormat,omitempty"`
	SecretFormat         string                       `json:"secretFormat,omitempty"`
	ConfigFormat         string                       `json:"configFormat,omitempty"`
	NodesFormat          string                       `json:"nodesFormat,omitempty"`
	PruneFilters         []string                     `json:"pruneFilters,omitempty"`
	Proxies              map[string]proxyConfig       `json:"proxies,omitempty"`
	Experimental         string                       `json:"experimental,omitempty"`
	CurrentContext       string                       `json:"currentContext,omitempty"`
	CLIPluginsExtraDirs  []string                     `json:"cliPluginsExtraDirs,omitempty"`
	Plugins              map[string]map[string]string `json:"plugins,omitempty"`
	Aliases              map[string]string            `json:"aliases,omitempty"`
	Features             map[string]string            `json:"features,omitempty"`
}

// containers/image pkg/docker/config.
type podmanAuth struct {
	Auth          string `json:"auth,omitempty"`
	IdentityToken string `json:"identitytoken,omitempty"`
}

type podmanConfig struct {
	AuthConfigs map[string]podmanAuth `json:"auths"`
	CredHelpers map[string]string     `json:"credHelpers,omitempty"`
}

// jfrog-cli-core utils/config ServerDetails (the fields its JSON holds).
type serverDetails struct {
	Url                             string `json:"url,omitempty"`
	ArtifactoryUrl                  string `json:"artifactoryUrl,omitempty"`
	DistributionUrl                 string `json:"distributionUrl,omitempty"`
	XrayUrl                         string `json:"xrayUrl,omitempty"`
	MissionControlUrl               string `json:"missionControlUrl,omitempty"`
	PipelinesUrl                    string `json:"pipelinesUrl,omitempty"`
	AccessUrl                       string `json:"accessUrl,omitempty"`
	User                            string `json:"user,omitempty"`
	Password                        string `json:"password,omitempty"`
	SshKeyPath                      string `json:"sshKeyPath,omitempty"`
	SshPassphrase                   string `json:"sshPassphrase,omitempty"`
	AccessToken                     string `json:"accessToken,omitempty"`
	RefreshToken                    string `json:"refreshToken,omitempty"`
	ArtifactoryRefreshToken         string `json:"artifactoryRefreshToken,omitempty"`
	ArtifactoryTokenRefreshInterval int    `json:"tokenRefreshInterval,omitempty"`
	ClientCertPath                  string `json:"clientCertPath,omitempty"`
	ClientCertKeyPath               string `json:"clientCertKeyPath,omitempty"`
	ServerId                        string `json:"serverId,omitempty"`
	IsDefault                       bool   `json:"isDefault,omitempty"`
	ApiKey                          string `json:"apiKey,omitempty"`
	WebLogin                        bool   `json:"webLogin,omitempty"`
}

type jfrogConfig struct {
	Servers []*serverDetails `json:"servers"`
	Version string           `json:"version,omitempty"`
	Enc     bool             `json:"enc,omitempty"`
}

// docker/cli configfile decodeAuth.
func dockerDecodeAuth(auth string) (string, string, error) {
	if auth == "" {
		return "", "", nil
	}
	decoded, err := base64.StdEncoding.DecodeString(auth)
	if err != nil {
		return "", "", err
	}
	user, password, ok := strings.Cut(string(decoded), ":")
	if !ok || user == "" {
		return "", "", errors.New("invalid auth configuration file")
	}
	return user, strings.Trim(password, "\x00"), nil
}

// docker/cli credentials.ConvertToHostname.
func convertToHostname(url string) string {
	stripped := url
	if strings.HasPrefix(url, "http://") {
		stripped = strings.TrimPrefix(url, "http://")
	} else if strings.HasPrefix(url, "https://") {
		stripped = strings.TrimPrefix(url, "https://")
	}
	host, _, _ := strings.Cut(stripped, "/")
	return host
}

func docker(req request) map[string]any {
	var config dockerConfig
	// configfile.LoadFromReader: a Decoder, so an empty file is no error and trailing text is unread.
	if err := json.NewDecoder(strings.NewReader(req.Text)).Decode(&config); err != nil && !errors.Is(err, io.EOF) {
		return map[string]any{"error": err.Error()}
	}
	for addr, ac := range config.AuthConfigs {
		if ac.Auth != "" {
			var err error
			ac.Username, ac.Password, err = dockerDecodeAuth(ac.Auth)
			if err != nil {
				return map[string]any{"error": "auths " + addr + ": " + err.Error()}
			}
		}
		ac.Auth = ""
		ac.ServerAddress = addr
		config.AuthConfigs[addr] = ac
	}
	lookup := map[string]any{}
	for _, host := range req.Hosts {
		// credentials store selection: configfile.getConfiguredCredentialStore, then GetCredentialsStore.
		helper := config.CredentialsStore
		if h, ok := config.CredentialHelpers[host]; ok {
			helper = h
		}
		if helper != "" {
			lookup[host] = map[string]any{"helper": helper}
			continue
		}
		// fileStore.Get: the exact key, else any key whose hostname is the host (map order: all listed).
		if ac, ok := config.AuthConfigs[host]; ok {
			lookup[host] = map[string]any{"auth": ac}
			continue
		}
		var legacy []authConfig
		keys := make([]string, 0, len(config.AuthConfigs))
		for k := range config.AuthConfigs {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if convertToHostname(k) == host {
				legacy = append(legacy, config.AuthConfigs[k])
			}
		}
		lookup[host] = map[string]any{"legacy": legacy}
	}
	return map[string]any{"config": config, "lookup": lookup}
}

func podman(req request) map[string]any {
	var config podmanConfig
	if err := json.Unmarshal([]byte(req.Text), &config); err != nil {
		return map[string]any{"error": err.Error()}
	}
	lookup := map[string]any{}
	for _, host := range req.Hosts {
		// findCredentialsInFile: credHelpers, then the exact auths key.
		if h, ok := config.CredHelpers[host]; ok {
			lookup[host] = map[string]any{"helper": h}
		} else if a, ok := config.AuthConfigs[host]; ok {
			lookup[host] = map[string]any{"auth": a}
		} else {
			lookup[host] = map[string]any{}
		}
	}
	return map[string]any{"config": config, "lookup": lookup}
}

func jfrog(req request) map[string]any {
	var config jfrogConfig
	if strings.TrimSpace(req.Text) != "" {
		if err := json.Unmarshal([]byte(req.Text), &config); err != nil {
			return map[string]any{"error": err.Error()}
		}
	}
	// GetSpecificConfig: the first server of the id; the default: the first marked isDefault.
	lookup := map[string]any{}
	for _, id := range req.Hosts {
		for _, s := range config.Servers {
			if s != nil && s.ServerId == id {
				lookup[id] = s
				break
			}
		}
	}
	var def *serverDetails
	for _, s := range config.Servers {
		if s != nil && s.IsDefault {
			def = s
			break
		}
	}
	return map[string]any{"config": config, "lookup": lookup, "default": def}
}

func main() {
	in := bufio.NewReader(os.Stdin)
	out := bufio.NewWriter(os.Stdout)
	for {
		line, err := in.ReadBytes('\n')
		if len(line) > 0 {
			var req request
			var answer map[string]any
			if e := json.Unmarshal(line, &req); e != nil {
				answer = map[string]any{"error": "bad request: " + e.Error()}
			} else {
				switch req.Tool {
				case "docker":
					answer = docker(req)
				case "podman":
					answer = podman(req)
				case "jfrog":
					answer = jfrog(req)
				default:
					answer = map[string]any{"error": "unknown tool " + req.Tool}
				}
			}
			encoded, _ := json.Marshal(answer)
			out.Write(encoded)
			out.WriteByte('\n')
			out.Flush()
		}
		if err != nil {
			return
		}
	}
}
