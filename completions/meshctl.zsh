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
        "") words="analyze check-inject completion inject install kube-inject manifest pc precheck proxy-config uninstall verify-install version --help" ;;
        "analyze") words="--all-namespaces --analyzer --cert-horizon --context --debug --failure-threshold --filename --help --ignore-unknown --istioNamespace --kubeconfig --list-analyzers --mesh-config --mesh-networks --meshConfigFile --meshNetworksFile --namespace --no-color --no-use-kube --output --output-threshold --suppress --timeout --use-kube --verbose -A -L -S -f -i -n -o -v" ;;
        "check-inject") words="--help" ;;
        "completion") words="--help" ;;
        "inject") words="status --help" ;;
        "inject status") words="--help" ;;
        "install") words="--help" ;;
        "kube-inject") words="--help" ;;
        "manifest") words="generate --help" ;;
        "manifest generate") words="--help" ;;
        "pc") words="dump --help" ;;
        "pc dump") words="--help" ;;
        "precheck") words="--help" ;;
        "proxy-config") words="dump --help" ;;
        "proxy-config dump") words="--help" ;;
        "uninstall") words="--help" ;;
        "verify-install") words="--help" ;;
        "version") words="--help --output --short -o" ;;
    esac
    echo "$words"
}
complete -F _meshctl meshctl
