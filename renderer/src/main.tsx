import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { Root } from './app/Root.tsx'
import { AppModel } from './data/app-model.ts'

const root = document.getElementById('root')
if (!root) throw new Error('The page has no #root element.')
const model = new AppModel()
createRoot(root).render(
  <StrictMode>
    <Root model={model} />
  </StrictMode>,
)
