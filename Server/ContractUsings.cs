// The hub's SendInput answers the API's InputAcceptedView, which moved to the Client's contract; this names it
// for Server/Hubs until that file imports XenDisplayWeb.Client.Contract itself.
global using InputAcceptedView = XenDisplayWeb.Client.Contract.InputAcceptedView;
