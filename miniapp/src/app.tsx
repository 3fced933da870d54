import type { PropsWithChildren } from 'react';
import { ElderModeProvider } from './hooks/elder-mode';
import './app.css';

export default function App({ children }: PropsWithChildren) {
  return <ElderModeProvider>{children}</ElderModeProvider>;
}
