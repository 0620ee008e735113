import { contextBridge, ipcRenderer } from 'electron'
import { type HostApi, hostChannel, hostMethodNames } from '../../shared/host/api.ts'

// The renderer gets exactly the host API's functions, each bound to its own channel; no raw
// ipcRenderer, no event emitters. The object is built from the shared method list, so it cannot
// drift from the API the main process serves.
const api = Object.fromEntries(
  hostMethodNames.map((name) => [name, (input: unknown) => ipcRenderer.invoke(hostChannel(name), input)]),
) as unknown as HostApi

contextBridge.exposeInMainWorld('signoffHost', api)
