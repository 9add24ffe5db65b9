#compdef meshctl
# zsh completion for meshctl (generated; do not edit)
autoload -U +X bashcompinit && bashcompinit
_meshctl() {
    local cur path="" w i
    cur="${COMP_WORDS[COMP_CWORD]}"
    for ((i = 1; i < COMP_CWORD; i++)); do
        w="${COMP_WORDS[i]}"
        [[ "$w" == -* ]] && continue
        case " $(_meshctl_words "$path") " in
            *" $w "*) path="${path:+$path }$w" ;;
        esac
    done
    COMPREPLY=($(compgen -W "$(_meshctl_words "$path")" -- "$cur"))
}
_meshctl_words() {
    local words=""
    case "$1" in
        "") words="analyze check-inject completion describe inject install kube-inject manifest pc precheck proxy-config proxy-status ps uninstall verify-install version zc ztunnel-config --debug --help --max-input-size --no-color" ;;
        "analyze") words="--all-namespaces --allow-partial --analyzer --cert-horizon --context --debug --failure-threshold --filename --help --ignore-unknown --istio-version --istioNamespace --kubeconfig --list-analyzers --max-input-size --mesh-config --mesh-networks --meshConfigFile --meshNetworksFile --namespace --no-color --no-use-kube --output --output-threshold --strict-access --suppress --timeout --use-kube --verbose -A -L -S -f -i -n -o -v" ;;
        "check-inject") words="--context --debug --failure-threshold --filename --help --kubeconfig --max-input-size --namespace --no-color --output --selector --timeout -f -l -n -o" ;;
        "completion") words="--debug --help --max-input-size --no-color" ;;
        "describe") words="--context --debug --filename --help --istioNamespace --kubeconfig --max-input-size --namespace --no-color --output --timeout -f -i -n -o" ;;
        "inject") words="disable enable iptables status --debug --help --max-input-size --no-color" ;;
        "inject disable") words="--context --debug --dry-run --help --kubeconfig --max-input-size --namespace --no-color --output --timeout -n -o" ;;
        "inject enable") words="--context --debug --dry-run --help --kubeconfig --max-input-size --namespace --no-color --output --revision --timeout -n -o -r" ;;
        "inject iptables") words="--context --debug --filename --format --help --injectConfigFile --injection-config --istioNamespace --kubeconfig --max-input-size --mesh-config --meshConfigFile --namespace --no-color --no-use-kube --timeout --use-kube --values --valuesFile -f -i -n" ;;
        "inject status") words="--all-namespaces --context --debug --help --kubeconfig --max-input-size --namespace --no-color --output --timeout -A -n -o" ;;
        "install") words="--charts --context --debug --dry-run --filename --force --help --kubeconfig --max-input-size --no-color --no-wait --output --profile --repo --revision --set --skip-confirmation --skip-precheck --timeout --verbose --version -f -o -p -r -s -v -y" ;;
        "kube-inject") words="--context --debug --filename --help --injectConfigFile --injection-config --istioNamespace --kubeconfig --max-input-size --mesh-config --meshConfigFile --native-sidecar --no-color --no-use-kube --output --output-file --revision --timeout --use-kube --values --valuesFile -f -i -o -r" ;;
        "manifest") words="generate --debug --help --max-input-size --no-color" ;;
        "manifest generate") words="--charts --debug --filename --help --max-input-size --no-color --output --profile --repo --revision --set --timeout --version -f -o -p -r -s" ;;
        "pc") words="all b bootstrap c cluster clusters diff dump ecds endpoint endpoints ep l listener listeners r route routes s secret secrets --debug --help --max-input-size --no-color" ;;
        "pc all") words="--admin-url --context --debug --file --help --kubeconfig --max-input-size --namespace --no-color --output --proxy-admin-port --timeout --with-headers -f -n -o" ;;
        "pc b") words="--admin-url --context --debug --file --help --kubeconfig --max-input-size --namespace --no-color --output --proxy-admin-port --timeout -f -n -o" ;;
        "pc bootstrap") words="--admin-url --context --debug --file --help --kubeconfig --max-input-size --namespace --no-color --output --proxy-admin-port --timeout -f -n -o" ;;
        "pc c") words="--admin-url --context --debug --direction --file --fqdn --help --kubeconfig --max-input-size --namespace --no-color --output --port --proxy-admin-port --subset --timeout -f -n -o" ;;
        "pc cluster") words="--admin-url --context --debug --direction --file --fqdn --help --kubeconfig --max-input-size --namespace --no-color --output --port --proxy-admin-port --subset --timeout -f -n -o" ;;
        "pc clusters") words="--admin-url --context --debug --direction --file --fqdn --help --kubeconfig --max-input-size --namespace --no-color --output --port --proxy-admin-port --subset --timeout -f -n -o" ;;
        "pc diff") words="--context --debug --help --kubeconfig --max-input-size --namespace --no-color --output --proxy-admin-port --timeout -n -o" ;;
        "pc dump") words="--admin-url --context --debug --file --help --include-eds --kubeconfig --max-input-size --namespace --no-color --output --proxy-admin-port --timeout --type -f -n -o" ;;
        "pc ecds") words="--admin-url --context --debug --file --help --kubeconfig --max-input-size --namespace --no-color --output --proxy-admin-port --timeout -f -n -o" ;;
        "pc endpoint") words="--address --admin-url --cluster --compare-k8s --context --debug --file --help --kubeconfig --max-input-size --namespace --no-color --output --port --proxy-admin-port --status --timeout -f -n -o" ;;
        "pc endpoints") words="--address --admin-url --cluster --compare-k8s --context --debug --file --help --kubeconfig --max-input-size --namespace --no-color --output --port --proxy-admin-port --status --timeout -f -n -o" ;;
        "pc ep") words="--address --admin-url --cluster --compare-k8s --context --debug --file --help --kubeconfig --max-input-size --namespace --no-color --output --port --proxy-admin-port --status --timeout -f -n -o" ;;
        "pc l") words="--address --admin-url --context --debug --file --help --kubeconfig --max-input-size --namespace --no-color --output --port --proxy-admin-port --timeout --type -f -n -o" ;;
        "pc listener") words="--address --admin-url --context --debug --file --help --kubeconfig --max-input-size --namespace --no-color --output --port --proxy-admin-port --timeout --type -f -n -o" ;;
        "pc listeners") words="--address --admin-url --context --debug --file --help --kubeconfig --max-input-size --namespace --no-color --output --port --proxy-admin-port --timeout --type -f -n -o" ;;
        "pc r") words="--admin-url --context --debug --file --help --kubeconfig --max-input-size --name --namespace --no-color --output --proxy-admin-port --timeout -f -n -o" ;;
        "pc route") words="--admin-url --context --debug --file --help --kubeconfig --max-input-size --name --namespace --no-color --output --proxy-admin-port --timeout -f -n -o" ;;
        "pc routes") words="--admin-url --context --debug --file --help --kubeconfig --max-input-size --name --namespace --no-color --output --proxy-admin-port --timeout -f -n -o" ;;
        "pc s") words="--admin-url --context --debug --file --help --kubeconfig --max-input-size --namespace --no-color --output --proxy-admin-port --timeout -f -n -o" ;;
        "pc secret") words="--admin-url --context --debug --file --help --kubeconfig --max-input-size --namespace --no-color --output --proxy-admin-port --timeout -f -n -o" ;;
        "pc secrets") words="--admin-url --context --debug --file --help --kubeconfig --max-input-size --namespace --no-color --output --proxy-admin-port --timeout -f -n -o" ;;
        "precheck") words="--allow-partial --check --context --debug --failure-threshold --filename --from-version --help --ignore-unknown --istioNamespace --kubeconfig --list --max-input-size --no-color --output --output-threshold --profile --revision --strict-access --suppress --timeout --verbose -L -S -f -i -o -p -r -v" ;;
        "proxy-config") words="all b bootstrap c cluster clusters diff dump ecds endpoint endpoints ep l listener listeners r route routes s secret secrets --debug --help --max-input-size --no-color" ;;
        "proxy-config all") words="--admin-url --context --debug --file --help --kubeconfig --max-input-size --namespace --no-color --output --proxy-admin-port --timeout --with-headers -f -n -o" ;;
        "proxy-config b") words="--admin-url --context --debug --file --help --kubeconfig --max-input-size --namespace --no-color --output --proxy-admin-port --timeout -f -n -o" ;;
        "proxy-config bootstrap") words="--admin-url --context --debug --file --help --kubeconfig --max-input-size --namespace --no-color --output --proxy-admin-port --timeout -f -n -o" ;;
        "proxy-config c") words="--admin-url --context --debug --direction --file --fqdn --help --kubeconfig --max-input-size --namespace --no-color --output --port --proxy-admin-port --subset --timeout -f -n -o" ;;
        "proxy-config cluster") words="--admin-url --context --debug --direction --file --fqdn --help --kubeconfig --max-input-size --namespace --no-color --output --port --proxy-admin-port --subset --timeout -f -n -o" ;;
        "proxy-config clusters") words="--admin-url --context --debug --direction --file --fqdn --help --kubeconfig --max-input-size --namespace --no-color --output --port --proxy-admin-port --subset --timeout -f -n -o" ;;
        "proxy-config diff") words="--context --debug --help --kubeconfig --max-input-size --namespace --no-color --output --proxy-admin-port --timeout -n -o" ;;
        "proxy-config dump") words="--admin-url --context --debug --file --help --include-eds --kubeconfig --max-input-size --namespace --no-color --output --proxy-admin-port --timeout --type -f -n -o" ;;
        "proxy-config ecds") words="--admin-url --context --debug --file --help --kubeconfig --max-input-size --namespace --no-color --output --proxy-admin-port --timeout -f -n -o" ;;
        "proxy-config endpoint") words="--address --admin-url --cluster --compare-k8s --context --debug --file --help --kubeconfig --max-input-size --namespace --no-color --output --port --proxy-admin-port --status --timeout -f -n -o" ;;
        "proxy-config endpoints") words="--address --admin-url --cluster --compare-k8s --context --debug --file --help --kubeconfig --max-input-size --namespace --no-color --output --port --proxy-admin-port --status --timeout -f -n -o" ;;
        "proxy-config ep") words="--address --admin-url --cluster --compare-k8s --context --debug --file --help --kubeconfig --max-input-size --namespace --no-color --output --port --proxy-admin-port --status --timeout -f -n -o" ;;
        "proxy-config l") words="--address --admin-url --context --debug --file --help --kubeconfig --max-input-size --namespace --no-color --output --port --proxy-admin-port --timeout --type -f -n -o" ;;
        "proxy-config listener") words="--address --admin-url --context --debug --file --help --kubeconfig --max-input-size --namespace --no-color --output --port --proxy-admin-port --timeout --type -f -n -o" ;;
        "proxy-config listeners") words="--address --admin-url --context --debug --file --help --kubeconfig --max-input-size --namespace --no-color --output --port --proxy-admin-port --timeout --type -f -n -o" ;;
        "proxy-config r") words="--admin-url --context --debug --file --help --kubeconfig --max-input-size --name --namespace --no-color --output --proxy-admin-port --timeout -f -n -o" ;;
        "proxy-config route") words="--admin-url --context --debug --file --help --kubeconfig --max-input-size --name --namespace --no-color --output --proxy-admin-port --timeout -f -n -o" ;;
        "proxy-config routes") words="--admin-url --context --debug --file --help --kubeconfig --max-input-size --name --namespace --no-color --output --proxy-admin-port --timeout -f -n -o" ;;
        "proxy-config s") words="--admin-url --context --debug --file --help --kubeconfig --max-input-size --namespace --no-color --output --proxy-admin-port --timeout -f -n -o" ;;
        "proxy-config secret") words="--admin-url --context --debug --file --help --kubeconfig --max-input-size --namespace --no-color --output --proxy-admin-port --timeout -f -n -o" ;;
        "proxy-config secrets") words="--admin-url --context --debug --file --help --kubeconfig --max-input-size --namespace --no-color --output --proxy-admin-port --timeout -f -n -o" ;;
        "proxy-status") words="--context --debug --file --help --istioNamespace --istiod-file --istiod-url --kubeconfig --max-input-size --namespace --no-color --output --proxy-admin-port --timeout -f -i -n -o" ;;
        "ps") words="--context --debug --file --help --istioNamespace --istiod-file --istiod-url --kubeconfig --max-input-size --namespace --no-color --output --proxy-admin-port --timeout -f -i -n -o" ;;
        "uninstall") words="--context --debug --dry-run --help --istioNamespace --kubeconfig --max-input-size --no-color --output --purge --revision --skip-confirmation --timeout --verbose -i -o -r -v -y" ;;
        "verify-install") words="--charts --context --debug --filename --help --istioNamespace --kubeconfig --max-input-size --no-color --output --profile --repo --revision --set --timeout --verbose --version -f -i -o -p -r -s -v" ;;
        "version") words="--debug --help --max-input-size --no-color --output --short -o" ;;
        "zc") words="all c certificate certificates certs p policies policy s service services w workload workloads --debug --help --max-input-size --no-color" ;;
        "zc all") words="--address --admin-url --context --debug --file --help --kubeconfig --max-input-size --namespace --no-color --node --output --proxy-admin-port --timeout --workload-namespace -f -n -o" ;;
        "zc c") words="--address --admin-url --context --debug --file --help --kubeconfig --max-input-size --namespace --no-color --node --output --proxy-admin-port --timeout --workload-namespace -f -n -o" ;;
        "zc certificate") words="--address --admin-url --context --debug --file --help --kubeconfig --max-input-size --namespace --no-color --node --output --proxy-admin-port --timeout --workload-namespace -f -n -o" ;;
        "zc certificates") words="--address --admin-url --context --debug --file --help --kubeconfig --max-input-size --namespace --no-color --node --output --proxy-admin-port --timeout --workload-namespace -f -n -o" ;;
        "zc certs") words="--address --admin-url --context --debug --file --help --kubeconfig --max-input-size --namespace --no-color --node --output --proxy-admin-port --timeout --workload-namespace -f -n -o" ;;
        "zc p") words="--address --admin-url --context --debug --file --help --kubeconfig --max-input-size --namespace --no-color --node --output --proxy-admin-port --timeout --workload-namespace -f -n -o" ;;
        "zc policies") words="--address --admin-url --context --debug --file --help --kubeconfig --max-input-size --namespace --no-color --node --output --proxy-admin-port --timeout --workload-namespace -f -n -o" ;;
        "zc policy") words="--address --admin-url --context --debug --file --help --kubeconfig --max-input-size --namespace --no-color --node --output --proxy-admin-port --timeout --workload-namespace -f -n -o" ;;
        "zc s") words="--address --admin-url --context --debug --file --help --kubeconfig --max-input-size --namespace --no-color --node --output --proxy-admin-port --timeout --workload-namespace -f -n -o" ;;
        "zc service") words="--address --admin-url --context --debug --file --help --kubeconfig --max-input-size --namespace --no-color --node --output --proxy-admin-port --timeout --workload-namespace -f -n -o" ;;
        "zc services") words="--address --admin-url --context --debug --file --help --kubeconfig --max-input-size --namespace --no-color --node --output --proxy-admin-port --timeout --workload-namespace -f -n -o" ;;
        "zc w") words="--address --admin-url --context --debug --file --help --kubeconfig --max-input-size --namespace --no-color --node --output --proxy-admin-port --timeout --workload-namespace -f -n -o" ;;
        "zc workload") words="--address --admin-url --context --debug --file --help --kubeconfig --max-input-size --namespace --no-color --node --output --proxy-admin-port --timeout --workload-namespace -f -n -o" ;;
        "zc workloads") words="--address --admin-url --context --debug --file --help --kubeconfig --max-input-size --namespace --no-color --node --output --proxy-admin-port --timeout --workload-namespace -f -n -o" ;;
        "ztunnel-config") words="all c certificate certificates certs p policies policy s service services w workload workloads --debug --help --max-input-size --no-color" ;;
        "ztunnel-config all") words="--address --admin-url --context --debug --file --help --kubeconfig --max-input-size --namespace --no-color --node --output --proxy-admin-port --timeout --workload-namespace -f -n -o" ;;
        "ztunnel-config c") words="--address --admin-url --context --debug --file --help --kubeconfig --max-input-size --namespace --no-color --node --output --proxy-admin-port --timeout --workload-namespace -f -n -o" ;;
        "ztunnel-config certificate") words="--address --admin-url --context --debug --file --help --kubeconfig --max-input-size --namespace --no-color --node --output --proxy-admin-port --timeout --workload-namespace -f -n -o" ;;
        "ztunnel-config certificates") words="--address --admin-url --context --debug --file --help --kubeconfig --max-input-size --namespace --no-color --node --output --proxy-admin-port --timeout --workload-namespace -f -n -o" ;;
        "ztunnel-config certs") words="--address --admin-url --context --debug --file --help --kubeconfig --max-input-size --namespace --no-color --node --output --proxy-admin-port --timeout --workload-namespace -f -n -o" ;;
        "ztunnel-config p") words="--address --admin-url --context --debug --file --help --kubeconfig --max-input-size --namespace --no-color --node --output --proxy-admin-port --timeout --workload-namespace -f -n -o" ;;
        "ztunnel-config policies") words="--address --admin-url --context --debug --file --help --kubeconfig --max-input-size --namespace --no-color --node --output --proxy-admin-port --timeout --workload-namespace -f -n -o" ;;
        "ztunnel-config policy") words="--address --admin-url --context --debug --file --help --kubeconfig --max-input-size --namespace --no-color --node --output --proxy-admin-port --timeout --workload-namespace -f -n -o" ;;
        "ztunnel-config s") words="--address --admin-url --context --debug --file --help --kubeconfig --max-input-size --namespace --no-color --node --output --proxy-admin-port --timeout --workload-namespace -f -n -o" ;;
        "ztunnel-config service") words="--address --admin-url --context --debug --file --help --kubeconfig --max-input-size --namespace --no-color --node --output --proxy-admin-port --timeout --workload-namespace -f -n -o" ;;
        "ztunnel-config services") words="--address --admin-url --context --debug --file --help --kubeconfig --max-input-size --namespace --no-color --node --output --proxy-admin-port --timeout --workload-namespace -f -n -o" ;;
        "ztunnel-config w") words="--address --admin-url --context --debug --file --help --kubeconfig --max-input-size --namespace --no-color --node --output --proxy-admin-port --timeout --workload-namespace -f -n -o" ;;
        "ztunnel-config workload") words="--address --admin-url --context --debug --file --help --kubeconfig --max-input-size --namespace --no-color --node --output --proxy-admin-port --timeout --workload-namespace -f -n -o" ;;
        "ztunnel-config workloads") words="--address --admin-url --context --debug --file --help --kubeconfig --max-input-size --namespace --no-color --node --output --proxy-admin-port --timeout --workload-namespace -f -n -o" ;;
    esac
    echo "$words"
}
complete -F _meshctl meshctl
