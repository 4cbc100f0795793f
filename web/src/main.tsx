import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { adoptTokenFromUrl } from './api.ts';
import { App } from './App.tsx';
import '@xyflow/react/dist/style.css';
import './styles.css';

adoptTokenFromUrl();
const root = document.getElementById('root');
if (root)
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
